package io.roster.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The activity log: every action on a user, who did it, when, and from which client. Read it through the
 * {@code user_activity} view: the activity rows, and each user's invitation, which is kept on the user row.
 */
public final class Activity {

    /** One action on one user. {@code actorId} is null for the system itself. */
    public record Entry(UUID userId, UUID orgId, UUID actorId, String action, String client, String details,
                        Instant at) {
    }

    private Activity() {
    }

    /** Appends {@code entries}, by COPY (a chunk's thousand rows as one stream, like {@link Users#insertInvited}). */
    public static void append(Connection connection, List<Entry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        StringBuilder rows = new StringBuilder(entries.size() * 160);
        for (Entry e : entries) {
            CopyCsv.row(rows, e.userId(), e.orgId(), e.actorId(), e.action(), e.client(), e.details(), e.at());
        }
        CopyCsv.copyIn(connection, "COPY activity (user_id, org_id, actor_id, action, client, details, at) FROM STDIN "
                + "WITH (FORMAT csv)", rows);
    }

    /** One logged action as read back: who did it by id, and by email where that user still exists. */
    public record Logged(Instant at, String action, UUID actorId, String actorEmail, String client, String details) {
    }

    /** The user's latest {@code limit} actions, newest first. */
    public static List<Logged> latest(Connection connection, UUID userId, int limit) throws SQLException {
        List<Logged> items = new java.util.ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT a.at, a.action, a.actor_id, u.email, "
                + "a.client, a.details FROM user_activity a LEFT JOIN users u ON u.id = a.actor_id "
                + "WHERE a.user_id = ? ORDER BY a.at DESC, a.id DESC LIMIT ?")) {
            ps.setObject(1, userId);
            ps.setInt(2, limit);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    items.add(new Logged(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getObject(3, UUID.class),
                            rs.getString(4), rs.getString(5), rs.getString(6)));
                }
            }
        }
        return items;
    }

    /** How many actions the user's log holds. */
    public static int count(Connection connection, UUID userId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT count(*) FROM user_activity WHERE user_id = ?")) {
            ps.setObject(1, userId);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}

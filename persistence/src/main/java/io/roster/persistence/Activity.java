package io.roster.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
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

    public static void append(Connection connection, List<Entry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO activity (user_id, org_id, actor_id, "
                + "action, client, details, at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (Entry e : entries) {
                ps.setObject(1, e.userId());
                ps.setObject(2, e.orgId());
                ps.setObject(3, e.actorId());
                ps.setString(4, e.action());
                ps.setString(5, e.client());
                ps.setString(6, e.details());
                ps.setTimestamp(7, Timestamp.from(e.at()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}

package io.roster.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * The message ids a consumer has applied, for consumers whose messages are not job chunks (the mailer): how a
 * re-delivered message is recognised. An id is kept for a while and then swept ({@link #deleteOlderThan}): once its
 * topic no longer holds the message, it cannot come again.
 */
public final class ProcessedMessages {

    private ProcessedMessages() {
    }

    /** Which of {@code ids} {@code consumer} has applied. */
    public static Set<String> applied(Connection connection, String consumer, Collection<String> ids)
            throws SQLException {
        Set<String> applied = new HashSet<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT message_id FROM processed_messages "
                + "WHERE consumer = ? AND message_id = ANY (?)")) {
            ps.setString(1, consumer);
            ps.setArray(2, connection.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    applied.add(rs.getString(1));
                }
            }
        }
        return applied;
    }

    /** Records {@code ids} as applied by {@code consumer} (ids recorded before are left as they are). */
    public static void record(Connection connection, String consumer, Collection<String> ids) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO processed_messages (consumer, message_id) "
                + "SELECT ?, unnest(?::text[]) ON CONFLICT DO NOTHING")) {
            ps.setString(1, consumer);
            ps.setArray(2, connection.createArrayOf("text", ids.toArray()));
            ps.executeUpdate();
        }
    }

    /**
     * Deletes up to {@code limit} ids recorded before {@code before} (found through a BRIN index on the time they
     * were recorded: the table is appended to in time order).
     *
     * @return how many were deleted
     */
    public static int deleteOlderThan(Connection connection, Instant before, int limit) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM processed_messages WHERE ctid = ANY "
                + "(ARRAY(SELECT ctid FROM processed_messages WHERE processed_at < ? LIMIT ?))")) {
            ps.setTimestamp(1, Timestamp.from(before));
            ps.setInt(2, limit);
            return ps.executeUpdate();
        }
    }
}

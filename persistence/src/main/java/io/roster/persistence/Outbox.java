package io.roster.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The transactional outbox. Writers append in the transaction of the change itself; the relay reads in id
 * order, publishes, and deletes what it published. A crash between publish and delete re-publishes the same
 * event ids, never new ones, and never loses one.
 */
public final class Outbox {

    /** Where a record goes: the logical topic, resolved against the configured prefix by the relay. */
    public enum Destination {
        USER_CHANGES("user-changes"), USERS("users"), MAIL("mail");

        private final String column;

        Destination(String column) {
            this.column = column;
        }

        public String column() {
            return column;
        }

        static Destination of(String column) {
            for (Destination d : values()) {
                if (d.column.equals(column)) {
                    return d;
                }
            }
            throw new IllegalStateException("unknown outbox destination " + column);
        }
    }

    /** One record to publish; a null payload is a tombstone. */
    public record Entry(long id, UUID eventId, Destination destination, String key, String payload) {
        public static Entry of(UUID eventId, Destination destination, String key, String payload) {
            return new Entry(0, eventId, destination, key, payload);
        }
    }

    private Outbox() {
    }

    public static void append(Connection connection, List<Entry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT INTO outbox (event_id, topic, record_key, payload) VALUES (?, ?, ?, ?)")) {
            for (Entry e : entries) {
                ps.setObject(1, e.eventId());
                ps.setString(2, e.destination().column());
                ps.setString(3, e.key());
                ps.setString(4, e.payload());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The oldest {@code limit} entries, in commit-visible id order. */
    public static List<Entry> oldest(Connection connection, int limit) throws SQLException {
        List<Entry> entries = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT id, event_id, topic, record_key, payload FROM outbox ORDER BY id LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(new Entry(rs.getLong(1), rs.getObject(2, UUID.class), Destination.of(rs.getString(3)),
                            rs.getString(4), rs.getString(5)));
                }
            }
        }
        return entries;
    }

    public static void delete(Connection connection, List<Entry> entries) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM outbox WHERE id = ANY (?)")) {
            ps.setArray(1, connection.createArrayOf("bigint", entries.stream().map(Entry::id).toArray()));
            ps.executeUpdate();
        }
    }
}

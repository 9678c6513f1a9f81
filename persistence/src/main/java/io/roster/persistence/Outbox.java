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

    /**
     * One committed change and every record it owes, all keyed {@code key}: {@code change} (the event, to
     * user-changes), {@code snapshot} (the user's new state, to the compacted users topic) or {@code tombstone} (the
     * user is gone: a null value there), and {@code mail} (to the mail topic). Any of them may be absent.
     */
    public record Entry(long id, UUID eventId, String key, String change, String snapshot, boolean tombstone,
                        String mail) {
        public Entry {
            if (tombstone && snapshot != null) {
                throw new IllegalArgumentException("a tombstone has no snapshot");
            }
        }

        /** A change of a user that still exists: its event and the user's new state. */
        public static Entry change(UUID eventId, String key, String change, String snapshot) {
            return new Entry(0, eventId, key, change, snapshot, false, null);
        }

        /** The removal of a user: its event and a tombstone. */
        public static Entry removal(UUID eventId, String key, String change) {
            return new Entry(0, eventId, key, change, null, true, null);
        }

        /** A mail on its own; {@code mailId} is the message's id. */
        public static Entry mail(UUID mailId, String key, String mail) {
            return new Entry(0, mailId, key, null, null, false, mail);
        }

        /** This entry, sending {@code mail} too. */
        public Entry withMail(String mail) {
            return new Entry(id, eventId, key, change, snapshot, tombstone, mail);
        }
    }

    private Outbox() {
    }

    public static void append(Connection connection, List<Entry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT INTO outbox (event_id, record_key, change, snapshot, tombstone, mail) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Entry e : entries) {
                ps.setObject(1, e.eventId());
                ps.setString(2, e.key());
                ps.setString(3, e.change());
                ps.setString(4, e.snapshot());
                ps.setBoolean(5, e.tombstone());
                ps.setString(6, e.mail());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The oldest {@code limit} entries, in commit-visible id order. */
    public static List<Entry> oldest(Connection connection, int limit) throws SQLException {
        List<Entry> entries = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT id, event_id, record_key, change, snapshot, tombstone, mail FROM outbox ORDER BY id LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(new Entry(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getBoolean(6), rs.getString(7)));
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

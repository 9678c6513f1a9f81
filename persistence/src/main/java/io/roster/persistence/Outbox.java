package io.roster.persistence;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.time.Instant;
import java.util.UUID;

/**
 * The transactional outbox. Writers append in the transaction of the change itself (the changes of one
 * transaction as one row); the relay reads in id order, publishes, and deletes what it published. A crash between publish and delete re-publishes the same
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

        /** A user's state alone, without a change event: a rebuild of the users topic. */
        public static Entry state(UUID id, String key, String snapshot) {
            return new Entry(0, id, key, null, snapshot, false, null);
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

    /**
     * Appends {@code entries} in order, in the caller's transaction: one entry as a row of its own, several as one
     * row carrying all of them (a chunk of a job writes one row, not a thousand).
     */
    public static void append(Connection connection, List<Entry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        if (entries.size() > 1) {
            try (PreparedStatement ps = connection.prepareStatement(
                    "INSERT INTO outbox (batch, entries) VALUES (?, ?)")) {
                ps.setBytes(1, encode(entries));
                ps.setInt(2, entries.size());
                ps.executeUpdate();
            }
            return;
        }
        Entry e = entries.get(0);
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT INTO outbox (event_id, record_key, change, snapshot, tombstone, mail) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, e.eventId());
            ps.setString(2, e.key());
            ps.setString(3, e.change());
            ps.setString(4, e.snapshot());
            ps.setBoolean(5, e.tombstone());
            ps.setString(6, e.mail());
            ps.executeUpdate();
        }
    }

    /**
     * The oldest entries, in commit-visible id order and in order within a row: whole rows only, as many as keep the
     * count within {@code limit} (but at least one row). Each entry's {@link Entry#id()} is its row's.
     */
    public static List<Entry> oldest(Connection connection, int limit) throws SQLException {
        List<Entry> entries = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT id, event_id, record_key, change, snapshot, "
                + "tombstone, mail, batch FROM outbox WHERE id IN (SELECT id FROM (SELECT id, entries, sum(entries) OVER "
                + "(ORDER BY id) AS upto FROM (SELECT id, entries FROM outbox ORDER BY id LIMIT ?) o) w "
                + "WHERE upto <= ? OR upto = entries) ORDER BY id")) {
            ps.setInt(1, limit);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    byte[] batch = rs.getBytes(8);
                    if (batch != null) {
                        decode(id, batch, entries);
                    } else {
                        entries.add(new Entry(id, rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getBoolean(6), rs.getString(7)));
                    }
                }
            }
        }
        return entries;
    }

    /**
     * When each row of {@code entries} was committed, by row id, if the server tracks commit timestamps
     * ({@code track_commit_timestamp}); empty if it does not.
     */
    public static Map<Long, Instant> committedAt(Connection connection, List<Entry> entries) throws SQLException {
        Map<Long, Instant> times = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT id, pg_xact_commit_timestamp(xmin) FROM outbox "
                + "WHERE id = ANY (?) AND current_setting('track_commit_timestamp')::boolean")) {
            ps.setArray(1, connection.createArrayOf("bigint", entries.stream().map(Entry::id).distinct().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    java.sql.Timestamp at = rs.getTimestamp(2);
                    if (at != null) {
                        times.put(rs.getLong(1), at.toInstant());
                    }
                }
            }
        }
        return times;
    }

    /** Deletes the rows of {@code entries} (published, all of them). */
    public static void delete(Connection connection, List<Entry> entries) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM outbox WHERE id = ANY (?)")) {
            ps.setArray(1, connection.createArrayOf("bigint", entries.stream().map(Entry::id).distinct().toArray()));
            ps.executeUpdate();
        }
    }

    /** Version 1: the body as it is (rows written before version 2 still read); 2: its length and an LZ4 block. */
    private static final byte PLAIN = 1;
    private static final byte PACKED = 2;
    private static final int CHANGE = 1;
    private static final int SNAPSHOT = 2;
    private static final int TOMBSTONE = 4;
    private static final int MAIL = 8;

    /**
     * A batch row's bytes: a version byte (2), the length of the body and the body as an LZ4 block (JSON shrinks a
     * few times: less for PostgreSQL to store, log and delete). The body: the entry count, then per entry its event id
     * (two longs), its key (modified UTF-8), a flags byte (1 change, 2 snapshot, 4 tombstone, 8 mail) and each present
     * text as a length and its UTF-8 bytes.
     */
    static byte[] encode(List<Entry> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(entries.size() * 512);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(entries.size());
            for (Entry e : entries) {
                out.writeLong(e.eventId().getMostSignificantBits());
                out.writeLong(e.eventId().getLeastSignificantBits());
                out.writeUTF(e.key());
                out.writeByte((e.change() == null ? 0 : CHANGE) | (e.snapshot() == null ? 0 : SNAPSHOT)
                        | (e.tombstone() ? TOMBSTONE : 0) | (e.mail() == null ? 0 : MAIL));
                writeText(out, e.change());
                writeText(out, e.snapshot());
                writeText(out, e.mail());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] body = bytes.toByteArray();
        byte[] packed = new byte[5 + Lz4Blocks.maxPacked(body.length)];
        packed[0] = PACKED;
        ByteBuffer.wrap(packed).putInt(1, body.length);
        int length = Lz4Blocks.pack(body, 0, body.length, packed, 5);
        return Arrays.copyOf(packed, 5 + length);
    }

    static void decode(long rowId, byte[] batch, List<Entry> into) {
        ByteArrayInputStream body;
        if (batch[0] == PACKED) {
            try {
                body = new ByteArrayInputStream(Lz4Blocks.unpack(batch, 5, batch.length - 5,
                        ByteBuffer.wrap(batch).getInt(1)));
            } catch (IllegalStateException e) {
                throw new IllegalStateException("outbox row " + rowId + " has a damaged batch", e);
            }
        } else if (batch[0] == PLAIN) {
            body = new ByteArrayInputStream(batch, 1, batch.length - 1);
        } else {
            throw new IllegalStateException("outbox row " + rowId + " has a batch of unknown version " + batch[0]);
        }
        try (DataInputStream in = new DataInputStream(body)) {
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                UUID eventId = new UUID(in.readLong(), in.readLong());
                String key = in.readUTF();
                int flags = in.readByte();
                String change = (flags & CHANGE) == 0 ? null : readText(in);
                String snapshot = (flags & SNAPSHOT) == 0 ? null : readText(in);
                String mail = (flags & MAIL) == 0 ? null : readText(in);
                into.add(new Entry(rowId, eventId, key, change, snapshot, (flags & TOMBSTONE) != 0, mail));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("outbox row " + rowId + " has a damaged batch", e);
        }
    }

    private static void writeText(DataOutputStream out, String text) throws IOException {
        if (text != null) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            out.writeInt(utf8.length);
            out.write(utf8);
        }
    }

    private static String readText(DataInputStream in) throws IOException {
        byte[] utf8 = new byte[in.readInt()];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /** What waits to be published: rows and entries (counted up to {@code cap} rows) and the oldest row's age. */
    public record Backlog(long rows, long entries, java.time.Duration oldestAge) {
    }

    public static Backlog backlog(Connection connection, int cap) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT count(*), coalesce(sum(entries), 0), "
                + "coalesce(extract(epoch FROM clock_timestamp() - min(created_at)), 0) "
                + "FROM (SELECT entries, created_at FROM outbox ORDER BY id LIMIT ?) o")) {
            ps.setInt(1, cap);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Backlog(rs.getLong(1), rs.getLong(2),
                        java.time.Duration.ofMillis(Math.round(rs.getDouble(3) * 1000)));
            }
        }
    }
}

package io.roster.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The files that jobs produce, stored in PostgreSQL in parts of {@link #PART_BYTES}: written in the transaction
 * that produced them (so a worker that dies halfway leaves nothing), read back a part at a time by any gateway
 * (memory bounded by one part), deleted when they expire.
 */
public final class JobResults {

    public static final int PART_BYTES = 1 << 20;

    /** A stored result: its media type, size and expiry. */
    public record Meta(String type, long bytes, Instant expiresAt) {
    }

    private JobResults() {
    }

    /** An output stream that stores what is written as the job's parts; close it to store the last part. */
    public static OutputStream writer(Connection connection, UUID jobId) {
        return new OutputStream() {
            private final byte[] buffer = new byte[PART_BYTES];
            private int used;
            private int part;

            @Override
            public void write(int b) {
                if (used == buffer.length) {
                    flushPart();
                }
                buffer[used++] = (byte) b;
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                while (length > 0) {
                    if (used == buffer.length) {
                        flushPart();
                    }
                    int n = Math.min(length, buffer.length - used);
                    System.arraycopy(bytes, offset, buffer, used, n);
                    used += n;
                    offset += n;
                    length -= n;
                }
            }

            @Override
            public void close() {
                if (used > 0 || part == 0) {
                    flushPart();
                }
            }

            private void flushPart() {
                try (PreparedStatement ps = connection.prepareStatement(
                        "INSERT INTO job_results (job_id, part_no, data) VALUES (?, ?, ?)")) {
                    ps.setObject(1, jobId);
                    ps.setInt(2, part++);
                    ps.setBytes(3, java.util.Arrays.copyOf(buffer, used));
                    ps.executeUpdate();
                } catch (SQLException e) {
                    throw new UncheckedIOException(new IOException("storing a part of the result failed", e));
                }
                used = 0;
            }
        };
    }

    /** Records what the job's result is, when it was stored. */
    public static void describe(Connection connection, UUID jobId, String type, long bytes, Instant expiresAt)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE jobs SET result_type = ?, result_bytes = ?, "
                + "result_expires_at = ? WHERE id = ?")) {
            ps.setString(1, type);
            ps.setLong(2, bytes);
            ps.setTimestamp(3, Timestamp.from(expiresAt));
            ps.setObject(4, jobId);
            ps.executeUpdate();
        }
    }

    public static Optional<Meta> meta(Connection connection, UUID jobId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT result_type, result_bytes, result_expires_at FROM jobs WHERE id = ? AND result_type IS NOT NULL")) {
            ps.setObject(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Meta(rs.getString(1), rs.getLong(2),
                        rs.getTimestamp(3).toInstant())) : Optional.empty();
            }
        }
    }

    /** The stored result as a stream that reads one part at a time. */
    public static InputStream reader(DataSource dataSource, UUID jobId) {
        return new InputStream() {
            private byte[] current = new byte[0];
            private int position;
            private int next;
            private boolean done;

            @Override
            public int read() throws IOException {
                if (!fill()) {
                    return -1;
                }
                return current[position++] & 0xff;
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                if (length == 0) {
                    return 0;
                }
                if (!fill()) {
                    return -1;
                }
                int n = Math.min(length, current.length - position);
                System.arraycopy(current, position, bytes, offset, n);
                position += n;
                return n;
            }

            private boolean fill() throws IOException {
                while (!done && position == current.length) {
                    try {
                        byte[] part = Tx.run(dataSource, c -> {
                            try (PreparedStatement ps = c.prepareStatement(
                                    "SELECT data FROM job_results WHERE job_id = ? AND part_no = ?")) {
                                ps.setObject(1, jobId);
                                ps.setInt(2, next);
                                try (ResultSet rs = ps.executeQuery()) {
                                    return rs.next() ? rs.getBytes(1) : null;
                                }
                            }
                        });
                        if (part == null) {
                            done = true;
                        } else {
                            current = part;
                            position = 0;
                            next++;
                        }
                    } catch (Tx.DataAccessException e) {
                        throw new IOException("reading the result failed", e);
                    }
                }
                return position < current.length;
            }
        };
    }

    /** Deletes the parts of the results that expired before {@code now} (their jobs still say so). @return parts */
    public static int deleteExpired(Connection connection, Instant now) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM job_results WHERE job_id IN "
                + "(SELECT id FROM jobs WHERE result_expires_at < ?)")) {
            ps.setTimestamp(1, Timestamp.from(now));
            return ps.executeUpdate();
        }
    }
}

package io.roster.persistence;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The files that jobs produce, stored in PostgreSQL in parts of {@link #PART_BYTES} (LZ4-compressed when asked):
 * written in the transaction that produced them (so a worker that dies halfway leaves nothing), read back a part at a
 * time by any gateway (memory bounded by one part), deleted when they expire.
 */
public final class JobResults {

    public static final int PART_BYTES = 1 << 20;

    /** A stored result: its media type, size and expiry. */
    public record Meta(String type, long bytes, Instant expiresAt) {
    }

    private JobResults() {
    }

    /**
     * An output stream that stores what is written as the job's parts; close it to store the last part. With
     * {@code pack}, each part is stored LZ4-compressed (for text; a gzip file is stored as it is).
     */
    public static OutputStream writer(Connection connection, UUID jobId, boolean pack) {
        return new OutputStream() {
            private final byte[] buffer = new byte[PART_BYTES];
            private final byte[] packed = pack ? new byte[Lz4Blocks.maxPacked(PART_BYTES)] : null;
            private PreparedStatement insert;
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
            public void close() throws IOException {
                if (used > 0 || part == 0) {
                    flushPart();
                }
                if (insert != null) {
                    try {
                        insert.close();
                    } catch (SQLException e) {
                        throw new IOException(e);
                    }
                }
            }

            private void flushPart() {
                try {
                    if (insert == null) {
                        insert = connection.prepareStatement(
                                "INSERT INTO job_results (job_id, part_no, data, raw_bytes) VALUES (?, ?, ?, ?)");
                        insert.setObject(1, jobId);
                    }
                    insert.setInt(2, part++);
                    if (pack) {
                        int n = Lz4Blocks.pack(buffer, 0, used, packed, 0);
                        insert.setBinaryStream(3, new ByteArrayInputStream(packed, 0, n), n);
                        insert.setInt(4, used);
                    } else {
                        insert.setBinaryStream(3, new ByteArrayInputStream(buffer, 0, used), used);
                        insert.setNull(4, Types.INTEGER);
                    }
                    insert.executeUpdate();
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

    /** Part {@code partNo} (from 0) of the job's stored result, or null past the last one. */
    public static byte[] part(Connection connection, UUID jobId, int partNo) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT data, raw_bytes FROM job_results WHERE job_id = ? AND part_no = ?")) {
            ps.setObject(1, jobId);
            ps.setInt(2, partNo);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                byte[] data = rs.getBytes(1);
                int raw = rs.getInt(2);
                if (rs.wasNull()) {
                    return data;
                }
                try {
                    return Lz4Blocks.unpack(data, 0, data.length, raw);
                } catch (IllegalStateException e) {
                    throw new SQLException("part " + partNo + " of job " + jobId + " is damaged", e);
                }
            }
        }
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

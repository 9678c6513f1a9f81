package io.roster.persistence;

import io.roster.contracts.job.JobState;
import io.roster.contracts.job.JobType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The SQL of jobs, their applied chunks and their row errors, shared by the gateway and the workers. */
public final class Jobs {

    private static final String COLUMNS = "id, org_id, type, state, total, processed, succeeded, failed, chunk_count, "
            + "chunks_done, created_by, idempotency_key, request_hash, created_at, submitted_at, started_at, finished_at";

    /** A job as stored. */
    public record Job(UUID id, UUID orgId, JobType type, JobState state, int total, int processed, int succeeded,
                      int failed, int chunkCount, int chunksDone, UUID createdBy, String idempotencyKey,
                      byte[] requestHash, Instant createdAt, Instant submittedAt, Instant startedAt,
                      Instant finishedAt) {
    }

    /** One bad row of a job. {@code field} may be null when the row as a whole is at fault. */
    public record RowError(int rowNo, String field, String code, String message) {
    }

    private Jobs() {
    }

    public static void insert(Connection connection, UUID id, UUID orgId, JobType type, int total, int chunkCount,
                              UUID createdBy, String idempotencyKey, byte[] requestHash) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO jobs (id, org_id, type, state, total, "
                + "chunk_count, created_by, idempotency_key, request_hash) VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?)")) {
            ps.setObject(1, id);
            ps.setObject(2, orgId);
            ps.setString(3, type.name());
            ps.setInt(4, total);
            ps.setInt(5, chunkCount);
            ps.setObject(6, createdBy);
            ps.setString(7, idempotencyKey);
            ps.setBytes(8, requestHash);
            ps.executeUpdate();
        }
    }

    public static void markSubmitted(Connection connection, UUID id) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "UPDATE jobs SET submitted_at = now() WHERE id = ? AND submitted_at IS NULL")) {
            ps.setObject(1, id);
            ps.executeUpdate();
        }
    }

    public static Optional<Job> find(Connection connection, UUID id) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT " + COLUMNS + " FROM jobs WHERE id = ?")) {
            ps.setObject(1, id);
            return one(ps);
        }
    }

    public static Optional<Job> findByIdempotencyKey(Connection connection, UUID orgId, String key) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM jobs WHERE org_id = ? AND idempotency_key = ?")) {
            ps.setObject(1, orgId);
            ps.setString(2, key);
            return one(ps);
        }
    }

    /**
     * Claims a chunk for the calling transaction. Call first in the transaction that applies the chunk; a
     * concurrent claim of the same chunk waits for this transaction and then finds it taken.
     *
     * @return false when the chunk was applied already: the caller must skip it
     */
    public static boolean claimChunk(Connection connection, UUID jobId, int chunkNo, int rows) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO job_chunks (job_id, chunk_no, rows, "
                + "succeeded, failed) VALUES (?, ?, ?, 0, 0) ON CONFLICT DO NOTHING")) {
            ps.setObject(1, jobId);
            ps.setInt(2, chunkNo);
            ps.setInt(3, rows);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Records a claimed chunk's counts and adds them to the job, finishing the job with its last chunk. Call in
     * the transaction that claimed and applied the chunk.
     */
    public static void completeChunk(Connection connection, UUID jobId, int chunkNo, int succeeded, int failed)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "UPDATE job_chunks SET succeeded = ?, failed = ? WHERE job_id = ? AND chunk_no = ?")) {
            ps.setInt(1, succeeded);
            ps.setInt(2, failed);
            ps.setObject(3, jobId);
            ps.setInt(4, chunkNo);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = connection.prepareStatement("UPDATE jobs SET "
                + "processed = processed + ?, succeeded = succeeded + ?, failed = failed + ?, "
                + "chunks_done = chunks_done + 1, started_at = coalesce(started_at, clock_timestamp()), "
                + "state = CASE WHEN chunks_done + 1 < chunk_count THEN 'running' "
                + "             WHEN failed + ? = 0 THEN 'succeeded' "
                + "             WHEN succeeded + ? = 0 THEN 'failed' "
                + "             ELSE 'partially_succeeded' END, "
                + "finished_at = CASE WHEN chunks_done + 1 >= chunk_count THEN clock_timestamp() END "
                + "WHERE id = ?")) {
            ps.setInt(1, succeeded + failed);
            ps.setInt(2, succeeded);
            ps.setInt(3, failed);
            ps.setInt(4, failed);
            ps.setInt(5, succeeded);
            ps.setObject(6, jobId);
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("job " + jobId + " does not exist");
            }
        }
    }

    public static void addErrors(Connection connection, UUID jobId, List<RowError> errors) throws SQLException {
        if (errors.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT INTO job_errors (job_id, row_no, field, code, message) VALUES (?, ?, ?, ?, ?)")) {
            for (RowError e : errors) {
                ps.setObject(1, jobId);
                ps.setInt(2, e.rowNo());
                ps.setString(3, e.field());
                ps.setString(4, e.code());
                ps.setString(5, e.message());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The first {@code limit} row errors in row order. */
    public static List<RowError> errors(Connection connection, UUID jobId, int limit) throws SQLException {
        List<RowError> errors = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT row_no, field, code, message FROM job_errors "
                + "WHERE job_id = ? ORDER BY row_no, id LIMIT ?")) {
            ps.setObject(1, jobId);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    errors.add(new RowError(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return errors;
    }

    private static Optional<Job> one(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new Job(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                    JobType.valueOf(rs.getString(3)), JobState.valueOf(rs.getString(4)), rs.getInt(5), rs.getInt(6),
                    rs.getInt(7), rs.getInt(8), rs.getInt(9), rs.getInt(10), rs.getObject(11, UUID.class),
                    rs.getString(12), rs.getBytes(13), instant(rs.getTimestamp(14)), instant(rs.getTimestamp(15)),
                    instant(rs.getTimestamp(16)), instant(rs.getTimestamp(17))));
        }
    }

    static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}

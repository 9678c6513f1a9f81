package io.roster.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.roster.contracts.job.JobState;
import io.roster.contracts.job.JobType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The writes of jobs, their applied chunks and their row errors: the gateway creates and finishes a job's submission,
 * the workers claim, complete and fail its chunks. The gateway reads jobs through
 * {@link io.roster.persistence.repositories.JobRepository}.
 */
public final class Jobs {

    /**
     * A job as stored: the row the workers write with the statements below, and the entity the gateway reads through
     * {@link io.roster.persistence.repositories.JobRepository}.
     */
    @MappedEntity("jobs")
    public record Job(@Id UUID id, UUID orgId, JobType type, JobState state, int total, int processed, int succeeded,
                      int failed, int chunkCount, int chunksDone, UUID createdBy,
                      @Nullable String idempotencyKey, @Nullable byte[] requestHash, Instant createdAt,
                      @Nullable Instant submittedAt, @Nullable Instant startedAt, @Nullable Instant finishedAt,
                      int skipped, @Nullable Instant cancelRequestedAt, @Nullable String failureReason,
                      @Nullable Integer progress) {
    }

    /** The chunk count of a streamed job until its upload ends: no chunk completes it before then. */
    public static final int CHUNKS_UNKNOWN = Integer.MAX_VALUE;

    /** The state a job reaches with its last chunk, from the counts in the row being updated. */
    private static final String FINAL_STATE = "CASE WHEN cancel_requested_at IS NOT NULL THEN 'cancelled' "
            + "WHEN failed = 0 THEN 'succeeded' WHEN succeeded = 0 THEN 'failed' ELSE 'partially_succeeded' END";

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
     * Whether cancelling was requested for the job, read in the chunk's transaction after its claim: a chunk claimed
     * after the request is skipped with {@link #skipChunk}.
     */
    public static boolean cancelRequested(Connection connection, UUID jobId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT cancel_requested_at IS NOT NULL FROM jobs WHERE id = ?")) {
            ps.setObject(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /**
     * Records a claimed chunk as skipped (its job was cancelled): none of its rows is applied.
     * @return the job's final state when this chunk finished it, else null
     */
    public static String skipChunk(Connection connection, UUID jobId, int chunkNo, int rows) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "UPDATE job_chunks SET skipped = true WHERE job_id = ? AND chunk_no = ?")) {
            ps.setObject(1, jobId);
            ps.setInt(2, chunkNo);
            ps.executeUpdate();
        }
        return addToJob(connection, jobId, 0, 0, 0, rows);
    }

    /**
     * Asks for a job to be cancelled. @return false when the job is finished already (or was cancelled before)
     */
    public static boolean requestCancel(Connection connection, UUID jobId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE jobs SET cancel_requested_at = clock_timestamp(), "
                + "state = CASE WHEN chunks_done = 0 AND submitted_at IS NULL THEN 'cancelled' ELSE state END "
                + "WHERE id = ? AND state IN ('queued', 'running') AND cancel_requested_at IS NULL")) {
            ps.setObject(1, jobId);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Records a claimed chunk's counts and adds them to the job, finishing the job with its last chunk. Call in
     * the transaction that claimed and applied the chunk. @return the job's final state when this chunk finished it,
     * else null
     */
    public static String completeChunk(Connection connection, UUID jobId, int chunkNo, int succeeded, int failed)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "UPDATE job_chunks SET succeeded = ?, failed = ? WHERE job_id = ? AND chunk_no = ?")) {
            ps.setInt(1, succeeded);
            ps.setInt(2, failed);
            ps.setObject(3, jobId);
            ps.setInt(4, chunkNo);
            ps.executeUpdate();
        }
        return addToJob(connection, jobId, succeeded + failed, succeeded, failed, 0);
    }

    /**
     * Records a claimed chunk that can never be applied: all its rows failed, none applied, and the job's failure
     * reason says why (the first such reason is kept). Call in the transaction that claimed the chunk.
     * @return the job's final state when this chunk finished it, else null
     */
    public static String failChunk(Connection connection, UUID jobId, int chunkNo, int rows, String reason)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "UPDATE jobs SET failure_reason = coalesce(failure_reason, ?) WHERE id = ?")) {
            ps.setString(1, reason);
            ps.setObject(2, jobId);
            ps.executeUpdate();
        }
        return completeChunk(connection, jobId, chunkNo, 0, rows);
    }

    /** Adds one chunk's counts to its job, finishing the job with its last chunk. @return the final state, or null */
    private static String addToJob(Connection connection, UUID jobId, int processed, int succeeded, int failed,
                                 int skipped) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE jobs SET "
                + "processed = processed + ?, succeeded = succeeded + ?, failed = failed + ?, skipped = skipped + ?, "
                + "chunks_done = chunks_done + 1, started_at = coalesce(started_at, clock_timestamp()), "
                + "state = CASE WHEN chunks_done + 1 < chunk_count THEN 'running' "
                + "             WHEN cancel_requested_at IS NOT NULL THEN 'cancelled' "
                + "             WHEN failed + ? = 0 THEN 'succeeded' "
                + "             WHEN succeeded + ? = 0 THEN 'failed' "
                + "             ELSE 'partially_succeeded' END, "
                + "finished_at = CASE WHEN chunks_done + 1 >= chunk_count THEN clock_timestamp() END "
                + "WHERE id = ? RETURNING CASE WHEN finished_at IS NOT NULL THEN state END")) {
            ps.setInt(1, processed);
            ps.setInt(2, succeeded);
            ps.setInt(3, failed);
            ps.setInt(4, skipped);
            ps.setInt(5, failed);
            ps.setInt(6, succeeded);
            ps.setObject(7, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("job " + jobId + " does not exist");
                }
                return rs.getString(1);
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

    /**
     * Sets the row and chunk counts of a streamed job, known when its upload ends (by the gateway, and by the worker
     * that applies the last chunk, whichever comes first); finishes the job if every chunk is applied already.
     */
    public static void setCounts(Connection connection, UUID jobId, int total, int chunkCount) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE jobs SET total = ?, chunk_count = ?, "
                + "state = CASE WHEN chunks_done >= ? THEN " + FINAL_STATE + " ELSE state END, "
                + "finished_at = CASE WHEN chunks_done >= ? THEN clock_timestamp() ELSE finished_at END "
                + "WHERE id = ? AND chunk_count = " + CHUNKS_UNKNOWN)) {
            ps.setInt(1, total);
            ps.setInt(2, chunkCount);
            ps.setInt(3, chunkCount);
            ps.setInt(4, chunkCount);
            ps.setObject(5, jobId);
            ps.executeUpdate();
        }
    }

    /** Sets a job's total once its work found out how many rows it has (an export, when it ran). */
    public static void setTotal(Connection connection, UUID jobId, int total) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE jobs SET total = ? WHERE id = ?")) {
            ps.setInt(1, total);
            ps.setObject(2, jobId);
            ps.executeUpdate();
        }
    }

    /**
     * Fails the jobs whose submission was cut off: created before {@code cutoff}, never marked submitted, nothing
     * applied. Their chunks, if any were sent, were in a Kafka transaction that is aborted by now.
     *
     * @return how many jobs were failed
     */
    public static int failInterruptedSubmissions(Connection connection, Instant cutoff) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE jobs SET state = 'failed', "
                + "finished_at = clock_timestamp(), failure_reason = 'The upload was cut off before every row was "
                + "queued; nothing was applied. Submit it again.' WHERE state = 'queued' AND submitted_at IS NULL "
                + "AND chunks_done = 0 AND created_at < ?")) {
            ps.setTimestamp(1, Timestamp.from(cutoff));
            return ps.executeUpdate();
        }
    }

    /** Records the hash of the request that submitted the job (an Idempotency-Key's retry must match it). */
    public static void setRequestHash(Connection connection, UUID jobId, byte[] hash) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE jobs SET request_hash = ? WHERE id = ?")) {
            ps.setBytes(1, hash);
            ps.setObject(2, jobId);
            ps.executeUpdate();
        }
    }

    /**
     * Reports how many rows a running job has got through so far, outside the transaction that applies them (an
     * export writes its whole file in one): informative, for its progress; the committed counts stay the truth.
     */
    public static void reportProgress(Connection connection, UUID jobId, int rows) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "UPDATE jobs SET progress = ?, state = 'running', started_at = coalesce(started_at, clock_timestamp()) "
                        + "WHERE id = ? AND state IN ('queued', 'running')")) {
            ps.setInt(1, rows);
            ps.setObject(2, jobId);
            ps.executeUpdate();
        }
    }

    /** Deletes a job that nothing was applied of (its submission failed). @return whether it was deleted */
    public static boolean deleteUnapplied(Connection connection, UUID jobId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM jobs WHERE id = ? AND chunks_done = 0")) {
            ps.setObject(1, jobId);
            return ps.executeUpdate() == 1;
        }
    }

    /** Jobs queued or running, by type and state (read through the partial index {@code jobs_open}). */
    public static java.util.Map<java.util.List<String>, Long> openCounts(Connection connection) throws SQLException {
        java.util.Map<java.util.List<String>, Long> counts = new java.util.HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT type, state, count(*) FROM jobs "
                + "WHERE state IN ('queued', 'running') GROUP BY type, state");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                counts.put(List.of(rs.getString(1), rs.getString(2)), rs.getLong(3));
            }
        }
        return counts;
    }
}

package io.roster.testsupport;

import io.roster.contracts.job.JobState;
import io.roster.contracts.job.JobType;
import io.roster.persistence.Jobs;
import io.roster.persistence.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** Reads a job and its row errors as a test sees them, without the gateway's repository (no Micronaut here). */
public final class JobRows {

    private JobRows() {
    }

    public static Optional<Jobs.Job> find(DataSource dataSource, UUID id) {
        return Tx.run(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, org_id, type, state, total, processed, "
                    + "succeeded, failed, chunk_count, chunks_done, created_by, idempotency_key, request_hash, "
                    + "created_at, submitted_at, started_at, finished_at, skipped, cancel_requested_at, "
                    + "failure_reason, progress FROM jobs WHERE id = ?")) {
                ps.setObject(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Jobs.Job(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            JobType.valueOf(rs.getString(3)), JobState.valueOf(rs.getString(4)), rs.getInt(5),
                            rs.getInt(6), rs.getInt(7), rs.getInt(8), rs.getInt(9), rs.getInt(10),
                            rs.getObject(11, UUID.class), rs.getString(12), rs.getBytes(13), instant(rs, 14),
                            instant(rs, 15), instant(rs, 16), instant(rs, 17), rs.getInt(18), instant(rs, 19),
                            rs.getString(20), (Integer) rs.getObject(21)));
                }
            }
        });
    }

    /** The job's first row errors, in row order. */
    public static List<Jobs.RowError> errors(DataSource dataSource, UUID jobId, int limit) {
        return Tx.run(dataSource, c -> {
            List<Jobs.RowError> errors = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT row_no, field, code, message FROM job_errors "
                    + "WHERE job_id = ? ORDER BY row_no, id LIMIT ?")) {
                ps.setObject(1, jobId);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        errors.add(new Jobs.RowError(rs.getInt(1), rs.getString(2), rs.getString(3),
                                rs.getString(4)));
                    }
                }
            }
            return errors;
        });
    }

    private static Instant instant(ResultSet rs, int column) throws java.sql.SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}

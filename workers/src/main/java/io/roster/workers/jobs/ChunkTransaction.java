package io.roster.workers.jobs;

import io.roster.contracts.job.InviteChunk;
import io.roster.contracts.job.InviteRow;
import io.roster.contracts.job.JobCommand;
import io.roster.contracts.job.UsersChunk;
import io.roster.persistence.Jobs;
import io.roster.persistence.Jobs.RowError;
import io.roster.persistence.Tx;
import io.roster.workers.consume.FatalRecordException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.sql.DataSource;

/**
 * The one transaction in which every job chunk applies: claim the chunk (a re-delivered chunk finds its claim and
 * changes nothing), record the job's counts when the chunk is the last, skip the chunk whole when its job was
 * cancelled, else apply the chunk's body, record its row errors and add its counts to the job. Effects, claim,
 * errors and counts commit together or not at all.
 */
public final class ChunkTransaction {

    /** What the body of a chunk did: rows that succeeded and the errors of the others. */
    public record Outcome(int succeeded, List<RowError> errors) {
    }

    /**
     * What a chunk's transaction did, once committed: whether it was applied now (false: it had been before, and
     * nothing changed), its rows by outcome, and the job's final state when this chunk finished the job.
     */
    public record Result(boolean appliedNow, int succeeded, int failed, int skipped, String finishedState) {
        public static final Result BEFORE = new Result(false, 0, 0, 0, null);
    }

    /** A chunk's own work, inside the transaction. */
    @FunctionalInterface
    public interface Body {
        Outcome apply(Connection connection) throws SQLException;
    }

    private ChunkTransaction() {
    }

    /**
     * Records a chunk whose body failed in a way that will repeat (see {@code Failures}): claims it, counts every
     * row failed with a {@code chunk_failed} row error (an export, a job of one row, has the reason alone) and sets
     * the job's failure reason; the job goes on with its other chunks. A chunk claimed before changes nothing.
     */
    public static Result fail(DataSource dataSource, JobCommand chunk, String reason) {
        String message = "chunk " + (chunk.chunkNo() + 1) + " could not be applied and none of its rows was: "
                + reason;
        return Tx.run(dataSource, connection -> {
            if (!Jobs.claimChunk(connection, chunk.jobId(), chunk.chunkNo(), chunk.size())) {
                return Result.BEFORE;
            }
            if (chunk.jobTotal() != null) {
                Jobs.setCounts(connection, chunk.jobId(), Math.max(chunk.jobTotal(), 0), chunk.chunkCount());
            }
            Jobs.addErrors(connection, chunk.jobId(), rowNumbers(chunk).stream()
                    .map(rowNo -> new RowError(rowNo, null, "chunk_failed", message)).toList());
            String finished = Jobs.failChunk(connection, chunk.jobId(), chunk.chunkNo(), chunk.size(), message);
            return new Result(true, 0, chunk.size(), 0, finished);
        });
    }

    /** The row numbers a chunk's row errors name: as sent for an invite, positions in the selection for users. */
    private static List<Integer> rowNumbers(JobCommand chunk) {
        if (chunk instanceof InviteChunk invite) {
            return invite.rows().stream().map(InviteRow::rowNo).toList();
        }
        if (chunk instanceof UsersChunk users) {
            return java.util.stream.IntStream.range(0, users.size()).mapToObj(i -> users.firstRowNo() + i).toList();
        }
        return List.of();
    }

    /** @return what the chunk's transaction did: {@link Result#BEFORE} when the chunk had been applied before */
    public static Result run(DataSource dataSource, JobCommand chunk, Body body) {
        try {
            return Tx.run(dataSource, connection -> {
                if (!Jobs.claimChunk(connection, chunk.jobId(), chunk.chunkNo(), chunk.size())) {
                    return Result.BEFORE;
                }
                if (chunk.jobTotal() != null) {
                    // the last chunk knows the job's counts, should the gateway not have recorded them
                    Jobs.setCounts(connection, chunk.jobId(), chunk.jobTotal(), chunk.chunkCount());
                }
                if (Jobs.cancelRequested(connection, chunk.jobId())) {
                    String finished = Jobs.skipChunk(connection, chunk.jobId(), chunk.chunkNo(), chunk.size());
                    return new Result(true, 0, 0, chunk.size(), finished);
                }
                Outcome outcome = body.apply(connection);
                List<RowError> errors = new ArrayList<>(outcome.errors());
                errors.sort(Comparator.comparingInt(RowError::rowNo));
                Jobs.addErrors(connection, chunk.jobId(), errors);
                int failedRows = (int) errors.stream().mapToInt(RowError::rowNo).distinct().count();
                String finished = Jobs.completeChunk(connection, chunk.jobId(), chunk.chunkNo(), outcome.succeeded(),
                        failedRows);
                return new Result(true, outcome.succeeded(), failedRows, 0, finished);
            });
        } catch (Tx.DataAccessException e) {
            if ("23503".equals(e.sqlState())) {
                // a foreign key names no row: the job or its organization does not exist, and never will
                throw new FatalRecordException("job " + chunk.jobId() + " or organization " + chunk.orgId()
                        + " does not exist", e);
            }
            throw e;
        }
    }
}

package io.roster.workers.jobs;

import io.roster.contracts.job.JobCommand;
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

    /** A chunk's own work, inside the transaction. */
    @FunctionalInterface
    public interface Body {
        Outcome apply(Connection connection) throws SQLException;
    }

    private ChunkTransaction() {
    }

    /** @return true when the chunk was applied (or skipped for a cancel) now, false when it had been before */
    public static boolean run(DataSource dataSource, JobCommand chunk, Body body) {
        try {
            return Tx.run(dataSource, connection -> {
                if (!Jobs.claimChunk(connection, chunk.jobId(), chunk.chunkNo(), chunk.size())) {
                    return false;
                }
                if (chunk.jobTotal() != null) {
                    // the last chunk knows the job's counts, should the gateway not have recorded them
                    Jobs.setCounts(connection, chunk.jobId(), chunk.jobTotal(), chunk.chunkCount());
                }
                if (Jobs.cancelRequested(connection, chunk.jobId())) {
                    Jobs.skipChunk(connection, chunk.jobId(), chunk.chunkNo(), chunk.size());
                    return true;
                }
                Outcome outcome = body.apply(connection);
                List<RowError> errors = new ArrayList<>(outcome.errors());
                errors.sort(Comparator.comparingInt(RowError::rowNo));
                Jobs.addErrors(connection, chunk.jobId(), errors);
                int failedRows = (int) errors.stream().mapToInt(RowError::rowNo).distinct().count();
                Jobs.completeChunk(connection, chunk.jobId(), chunk.chunkNo(), outcome.succeeded(), failedRows);
                return true;
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

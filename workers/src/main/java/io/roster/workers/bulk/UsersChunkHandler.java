package io.roster.workers.bulk;

import io.roster.contracts.job.BulkAction;
import io.roster.contracts.job.UsersChunk;
import io.roster.operations.Actor;
import io.roster.operations.ChunkResult;
import io.roster.operations.DeleteUsers;
import io.roster.operations.TagUsers;
import io.roster.operations.TransferUsers;
import io.roster.persistence.Organizations;
import io.roster.workers.consume.FatalRecordException;
import io.roster.workers.jobs.ChunkTransaction;
import io.roster.workers.jobs.JobHandler;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import javax.sql.DataSource;

/**
 * Applies a chunk of a bulk job over existing users (tag, delete, transfer) in the chunk's one transaction
 * ({@link ChunkTransaction}); what each action does to a user, and the errors it reports per row, is
 * the operations' ({@link TagUsers}, {@link DeleteUsers}, {@link TransferUsers}).
 */
public final class UsersChunkHandler implements JobHandler<UsersChunk> {

    private final DataSource dataSource;
    private final Clock clock;

    public UsersChunkHandler(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    @Override
    public io.roster.workers.jobs.ChunkTransaction.Result apply(UsersChunk chunk) {
        return ChunkTransaction.run(dataSource, chunk, connection -> applyIn(connection, chunk));
    }

    private ChunkTransaction.Outcome applyIn(Connection connection, UsersChunk chunk) throws SQLException {
        Actor actor = new Actor(chunk.requestedBy(), chunk.jobId(), chunk.client());
        ChunkResult result;
        if (chunk.action() instanceof BulkAction.Tag tag) {
            result = TagUsers.apply(connection, chunk.orgId(), chunk.userIds(), chunk.firstRowNo(), tag.tag(),
                    tag.remove(), actor);
        } else if (chunk.action() instanceof BulkAction.Delete) {
            result = DeleteUsers.apply(connection, chunk.orgId(), chunk.userIds(), chunk.firstRowNo(), actor,
                    clock.instant().truncatedTo(ChronoUnit.MICROS));
        } else if (chunk.action() instanceof BulkAction.Transfer transfer) {
            Organizations.Org destination = Organizations.find(connection, transfer.destinationOrgId())
                    .orElseThrow(() -> new FatalRecordException("destination organization "
                            + transfer.destinationOrgId() + " does not exist", null));
            result = TransferUsers.apply(connection, chunk.orgId(), chunk.userIds(), chunk.firstRowNo(), destination,
                    transfer.destinationAdminId(), transfer.role(), actor);
        } else {
            throw new FatalRecordException("no bulk action " + chunk.action(), null);
        }
        return new ChunkTransaction.Outcome(result.succeeded(), result.errors());
    }
}

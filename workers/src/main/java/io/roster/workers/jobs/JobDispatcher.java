package io.roster.workers.jobs;

import io.roster.contracts.job.ExportCommand;
import io.roster.contracts.job.InviteChunk;
import io.roster.contracts.job.UsersChunk;
import io.roster.contracts.job.JobCommand;
import io.roster.workers.consume.ConsumerLoop;
import io.roster.workers.consume.FatalRecordException;
import javax.sql.DataSource;

/**
 * Hands each job chunk to the handler of its kind, a chunk that writes users only once the outbox is not behind
 * ({@link OutboxGate}); records a chunk that can never apply as failed.
 */
public final class JobDispatcher implements ConsumerLoop.Handler<JobCommand> {

    private final JobHandler<InviteChunk> invites;
    private final JobHandler<UsersChunk> users;
    private final JobHandler<ExportCommand> exports;
    private final DataSource dataSource;
    private final OutboxGate gate;

    public JobDispatcher(DataSource dataSource, JobHandler<InviteChunk> invites, JobHandler<UsersChunk> users,
                         JobHandler<ExportCommand> exports, OutboxGate gate) {
        this.invites = invites;
        this.users = users;
        this.exports = exports;
        this.dataSource = dataSource;
        this.gate = gate;
    }

    /** A chunk that will never apply fails its rows and gives its job a failure reason; the job goes on. */
    @Override
    public void failed(JobCommand command, String reason) {
        ChunkTransaction.fail(dataSource, command, reason);
    }

    @Override
    public boolean apply(JobCommand command) {
        if (command instanceof InviteChunk invite) {
            gate.await(); // a chunk's changes queue behind what the relay has yet to publish
            return invites.apply(invite);
        }
        if (command instanceof UsersChunk chunk) {
            gate.await();
            return users.apply(chunk);
        }
        if (command instanceof ExportCommand export) {
            return exports.apply(export);
        }
        throw new FatalRecordException("no handler for " + command.getClass().getSimpleName(), null);
    }
}

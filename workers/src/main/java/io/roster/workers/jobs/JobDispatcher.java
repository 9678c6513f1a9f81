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
    private final io.roster.workers.metrics.WorkerMetrics metrics;

    public JobDispatcher(DataSource dataSource, JobHandler<InviteChunk> invites, JobHandler<UsersChunk> users,
                         JobHandler<ExportCommand> exports, OutboxGate gate,
                         io.roster.workers.metrics.WorkerMetrics metrics) {
        this.metrics = metrics;
        this.invites = invites;
        this.users = users;
        this.exports = exports;
        this.dataSource = dataSource;
        this.gate = gate;
    }

    /** A chunk that will never apply fails its rows and gives its job a failure reason; the job goes on. */
    @Override
    public void failed(JobCommand command, String reason) {
        long start = System.nanoTime();
        metrics.chunk(command, ChunkTransaction.fail(dataSource, command, reason), System.nanoTime() - start);
    }

    @Override
    public boolean apply(JobCommand command) {
        if (!(command instanceof ExportCommand)) {
            // a chunk's changes queue behind what the relay has yet to publish
            metrics.gateWaited(gate.await());
        }
        long start = System.nanoTime();
        ChunkTransaction.Result result;
        if (command instanceof InviteChunk invite) {
            result = invites.apply(invite);
        } else if (command instanceof UsersChunk chunk) {
            result = users.apply(chunk);
        } else if (command instanceof ExportCommand export) {
            result = exports.apply(export);
        } else {
            throw new FatalRecordException("no handler for " + command.getClass().getSimpleName(), null);
        }
        metrics.chunk(command, result, System.nanoTime() - start);
        return result.appliedNow();
    }
}

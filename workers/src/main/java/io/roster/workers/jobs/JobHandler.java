package io.roster.workers.jobs;

import io.roster.contracts.job.JobCommand;

/**
 * Applies one job chunk to the database, exactly once: the chunk's effects and the record that it was applied
 * commit in one transaction, so a re-delivered chunk changes nothing.
 *
 * <p>Throws {@link io.roster.workers.consume.FatalRecordException} for a chunk that can never be applied (it goes to the dead-letter
 * topic); any other exception is taken as transient and the chunk is retried.
 */
public interface JobHandler<C extends JobCommand> {

    /** @return what was applied: {@link ChunkTransaction.Result#BEFORE} when the chunk had been applied before */
    ChunkTransaction.Result apply(C command);
}

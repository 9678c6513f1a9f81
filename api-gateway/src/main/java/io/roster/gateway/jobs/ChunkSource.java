package io.roster.gateway.jobs;

import io.roster.contracts.job.JobCommand;
import java.util.UUID;

/**
 * A job's input, read once, a chunk at a time (a streamed upload is never held whole). Bad input throws a
 * {@link io.roster.gateway.problem.ProblemException}; the submission then sends nothing and keeps no job.
 */
public interface ChunkSource extends AutoCloseable {

    /** The next chunk of job {@code jobId}, or null at the end; the last chunk carries the job's counts. */
    JobCommand next(UUID jobId);

    /** Rows read; the job's total once {@link #next} returned null. */
    int rows();

    /** Chunks read. */
    int chunks();

    /** The job's total as it shows while it runs: the rows read, unless the source knows better (an export). */
    default int total() {
        return rows();
    }

    /** SHA-256 of the rows in their canonical form, once {@link #next} returned null: compared for idempotency. */
    byte[] hash();

    /**
     * Whether {@link #hash} is known before the input is read (it hashes the request, not the rows): a retry of a
     * submitted job is then answered without reading the input again.
     */
    default boolean hashKnownUpFront() {
        return false;
    }

    /** The error when the input held no rows. */
    default io.roster.gateway.problem.ProblemException empty() {
        return io.roster.gateway.problem.ProblemException.invalid("users", "the input holds no rows");
    }

    /** Releases what reading the input holds (a database cursor); nothing by default. */
    @Override
    default void close() {
    }
}

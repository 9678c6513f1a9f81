package io.roster.contracts.job;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A chunk of an invite or import job: rows as submitted, validated by the worker.
 *
 * @param chunkCount the job's number of chunks, or -1 while a streamed upload is still being read
 * @param jobTotal   on the last chunk of a streamed upload, the job's row count (with {@code chunkCount}); else null
 * @param upsert     an email that already has an account in the organization updates that account (else it is a
 *                   row error)
 */
public record InviteChunk(UUID jobId, UUID orgId, int chunkNo, int chunkCount, UUID requestedBy, String client,
                          List<InviteRow> rows, Integer jobTotal, boolean upsert) implements JobCommand {
    public InviteChunk {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(orgId, "orgId");
        rows = List.copyOf(rows);
    }

    @Override
    public int size() {
        return rows.size();
    }
}

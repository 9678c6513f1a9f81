package io.roster.contracts.job;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** A chunk of an invite or import job: rows as submitted, validated by the worker. */
public record InviteChunk(UUID jobId, UUID orgId, int chunkNo, int chunkCount, UUID requestedBy, String client,
                          List<InviteRow> rows) implements JobCommand {
    public InviteChunk {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(orgId, "orgId");
        rows = List.copyOf(rows);
    }
}

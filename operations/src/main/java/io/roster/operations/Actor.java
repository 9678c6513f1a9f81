package io.roster.operations;

import java.util.UUID;

/** Who does an operation: the user, the job it runs in (null for a single action), the client they use. */
public record Actor(UUID userId, UUID jobId, String client) {
}

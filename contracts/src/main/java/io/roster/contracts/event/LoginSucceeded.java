package io.roster.contracts.event;

import java.time.Instant;
import java.util.UUID;

/** A successful login on {@code roster.logins.v1}, keyed by user id: the input of the status topology. */
public record LoginSucceeded(UUID userId, UUID orgId, Instant at, String client) {
}

package io.roster.contracts.event;

import java.time.Instant;
import java.util.UUID;

/** A successful login on {@code roster.logins.v1}, keyed by user id: the input of the status topology. */
public record LoginSucceeded(UUID userId, UUID orgId, Instant at, String client) {

    /** Its CloudEvents type (binary mode on the topic: this record is the data). */
    public static final String TYPE = "io.roster.user.login.v1";
}

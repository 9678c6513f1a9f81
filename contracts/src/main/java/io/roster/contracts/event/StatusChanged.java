package io.roster.contracts.event;

import io.roster.contracts.user.UserStatus;
import java.time.Instant;
import java.util.UUID;

/**
 * A status transition on {@code roster.user-status.v1}, keyed by user id, emitted once by the status topology.
 * {@code at} is when the transition happened (the login's time, or the inactivity boundary); a user's transitions
 * have increasing {@code at}, so a consumer applies one only if it is newer than the last it applied.
 */
public record StatusChanged(UUID userId, UUID orgId, UserStatus from, UserStatus to, Instant at, Instant lastLoginAt) {

    /** Its CloudEvents type (binary mode on the topic: this record is the data). */
    public static final String TYPE = "io.roster.user.status-transition.v1";

    /** The id of this transition: the same whenever the topology emits it again (a user, a new status, a time). */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public UUID eventId() {
        return UUID.nameUUIDFromBytes((userId + "|" + to + "|" + at).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }


    /** A transition without a user, an organization, a new status or a time cannot apply: it is unreadable. */
    public StatusChanged {
        java.util.Objects.requireNonNull(userId, "userId");
        java.util.Objects.requireNonNull(orgId, "orgId");
        java.util.Objects.requireNonNull(to, "to");
        java.util.Objects.requireNonNull(at, "at");
    }
}

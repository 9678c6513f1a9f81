package io.roster.contracts.event;

import java.time.Instant;
import java.util.UUID;

/** A user was deleted (type {@code io.roster.user.deleted.v1}); the users topic gets a tombstone for them. */
public record UserDeleted(UUID userId, UUID orgId, Instant at, UUID deletedBy, UUID jobId) implements UserChange {
    @Override
    public String eventType() {
        return UserChangeEvent.DELETED;
    }
}

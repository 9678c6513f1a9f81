package io.roster.contracts.event;

import io.roster.contracts.user.UserStatus;
import java.time.Instant;
import java.util.UUID;

/** A user's status changed (type {@code io.roster.user.status-changed.v1}): derived from logins by the status topology. */
public record UserStatusChanged(UUID userId, UUID orgId, UserStatus from, UserStatus to, Instant at,
                                Instant lastLoginAt) implements UserChange {
    @Override
    public String eventType() {
        return UserChangeEvent.STATUS_CHANGED;
    }
}

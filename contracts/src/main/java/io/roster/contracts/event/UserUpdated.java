package io.roster.contracts.event;

import io.roster.contracts.user.Role;
import java.time.Instant;
import java.util.UUID;

/** A user's profile was edited (type {@code roster.user.updated}): the profile as it is now. Emails never change. */
public record UserUpdated(UUID userId, UUID orgId, String firstName, String lastName, Role role, String location,
                          Instant at, UUID updatedBy) implements UserChange {
    @Override
    public String eventType() {
        return UserChangeEvent.UPDATED;
    }
}

package io.roster.contracts.event;

import io.roster.contracts.user.Role;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A user's profile was edited, by hand or by an import with upsert (type {@code io.roster.user.updated.v1}): the profile
 * as it is now, tags included. Emails never change.
 */
public record UserUpdated(UUID userId, UUID orgId, String firstName, String lastName, Role role, String location,
                          List<String> tags, Instant at, UUID updatedBy) implements UserChange {

    public UserUpdated {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    @Override
    public String eventType() {
        return UserChangeEvent.UPDATED;
    }
}

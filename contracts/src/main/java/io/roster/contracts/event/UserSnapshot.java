package io.roster.contracts.event;

import io.roster.contracts.user.Role;
import io.roster.contracts.user.UserStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Latest state of one user on the compacted {@code roster.users.v1} topic (a null value is a tombstone). */
public record UserSnapshot(UUID id, UUID orgId, String email, String firstName, String lastName, Role role,
                           String location, List<String> tags, UserStatus status, Instant lastLoginAt,
                           Instant invitedAt, Instant updatedAt) {
    public UserSnapshot {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}

package io.roster.contracts.event;

import io.roster.contracts.user.Role;
import io.roster.contracts.user.UserStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A user was invited into an organization (type {@code io.roster.user.invited.v1}).
 *
 * @param invitedBy the admin who invited, or null for the bootstrap admin created at first start
 * @param jobId     the invite job that applied it, or null
 */
public record UserInvited(UUID userId, UUID orgId, String email, String firstName, String lastName, Role role,
                          String location, List<String> tags, UserStatus status, Instant invitedAt, UUID invitedBy,
                          UUID jobId) implements UserChange {
    public UserInvited {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    @Override
    public String eventType() {
        return UserChangeEvent.INVITED;
    }
}

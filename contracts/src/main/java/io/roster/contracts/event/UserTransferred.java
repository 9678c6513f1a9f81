package io.roster.contracts.event;

import io.roster.contracts.user.Role;
import java.time.Instant;
import java.util.UUID;

/**
 * A user moved to another organization (type {@code io.roster.user.transferred.v1}); {@code orgId} is the destination.
 */
public record UserTransferred(UUID userId, UUID orgId, UUID fromOrgId, Role role, Instant at, UUID transferredBy,
                              UUID jobId) implements UserChange {
    @Override
    public String eventType() {
        return UserChangeEvent.TRANSFERRED;
    }
}

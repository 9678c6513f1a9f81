package io.roster.contracts.event;

import java.time.Instant;
import java.util.UUID;

/**
 * All of a user's sessions were ended at once (type {@code io.roster.user.logged-out.v1}); {@code reason} is
 * {@code forced} or {@code password-changed}.
 */
public record UserLoggedOut(UUID userId, UUID orgId, String reason, Instant at, UUID by) implements UserChange {
    @Override
    public String eventType() {
        return UserChangeEvent.LOGGED_OUT;
    }
}

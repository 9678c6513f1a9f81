package io.roster.streams.status;

import io.roster.contracts.user.UserStatus;
import java.time.Instant;
import java.util.UUID;

/**
 * What the status topology keeps per user: organization, current status, latest login, and when the user falls
 * due for inactivity (null unless active).
 */
public record UserActivity(UUID orgId, UserStatus status, Instant lastLoginAt, Instant dueAt) {
}

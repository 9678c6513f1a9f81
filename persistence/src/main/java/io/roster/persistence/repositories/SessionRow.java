package io.roster.persistence.repositories;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.DateCreated;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code sessions}: a bearer token's hash, whose session it is, until when. */
@MappedEntity("sessions")
public record SessionRow(@Id byte[] tokenHash, UUID userId, @Nullable String client, @DateCreated Instant createdAt,
                         Instant expiresAt) {
}

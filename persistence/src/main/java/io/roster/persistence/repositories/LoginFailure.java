package io.roster.persistence.repositories;

import io.micronaut.data.annotation.DateCreated;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A row of {@code login_failures}: one failed login of an email, when. */
@MappedEntity("login_failures")
public record LoginFailure(@Id @GeneratedValue Long id, String email, @DateCreated Instant failedAt) {

    public static LoginFailure of(String email) {
        return new LoginFailure(null, email, null);
    }
}

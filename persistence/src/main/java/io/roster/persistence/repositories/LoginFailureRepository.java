package io.roster.persistence.repositories;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;

/** The {@code login_failures} table. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface LoginFailureRepository extends GenericRepository<LoginFailure, Long> {

    /** How many of an email's recent failures were counted (at most the limit asked), and the oldest of them. */
    @Introspected
    record Recent(long count, @Nullable Instant oldest) {
    }

    /** Serializes the logins of one email until the transaction ends (a transaction-scoped advisory lock). */
    @Query("SELECT count(*) FROM (SELECT pg_advisory_xact_lock(hashtext('roster-login:' || :email))) locked")
    long lock(String email);

    /** The email's latest failures after {@code since}, at most {@code limit} of them. */
    @Query("SELECT count(*) AS count, min(failed_at) AS oldest FROM (SELECT failed_at FROM login_failures "
            + "WHERE email = :email AND failed_at > :since ORDER BY failed_at DESC LIMIT :limit) recent")
    Recent recent(String email, Instant since, int limit);

    LoginFailure save(LoginFailure failure);

    void deleteByEmail(String email);
}

package io.roster.persistence.repositories;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import io.roster.contracts.user.Role;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** The {@code sessions} table. Deleting a user deletes their sessions (a cascading foreign key). */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface SessionRepository extends GenericRepository<SessionRow, byte[]> {

    /** The user a live session belongs to. */
    @Introspected
    record Holder(UUID userId, UUID orgId, Role role, String email) {
    }

    SessionRow save(SessionRow session);

    /** The holder of the session with {@code tokenHash} if it is live at {@code now}. */
    @Query("SELECT u.id AS user_id, u.org_id, u.role, u.email FROM sessions s JOIN users u ON u.id = s.user_id "
            + "WHERE s.token_hash = :tokenHash AND s.expires_at > :now")
    Optional<Holder> live(byte[] tokenHash, Instant now);

    void deleteById(byte[] tokenHash);
}

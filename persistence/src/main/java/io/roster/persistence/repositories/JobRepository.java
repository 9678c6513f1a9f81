package io.roster.persistence.repositories;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import io.roster.contracts.job.JobState;
import io.roster.persistence.Jobs;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The gateway's reads of {@code jobs} and {@code job_errors}. The writes stay in {@link Jobs}: the workers apply
 * them in the transaction of each chunk, and they carry no Micronaut.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface JobRepository extends GenericRepository<Jobs.Job, UUID> {

    Optional<Jobs.Job> findById(UUID id);

    Optional<Jobs.Job> findByOrgIdAndIdempotencyKey(UUID orgId, String idempotencyKey);

    /** How many jobs of the organization are in one of the states (queued or running: the active ones). */
    long countByOrgIdAndStateInList(UUID orgId, Collection<JobState> states);

    /** The organization's newest jobs of the given types (by name). */
    @Query("SELECT * FROM jobs WHERE org_id = :orgId AND type IN (:types) "
            + "ORDER BY created_at DESC, id DESC LIMIT :limit")
    List<Jobs.Job> newest(UUID orgId, Collection<String> types, int limit);

    /**
     * The organization's jobs of the given types after the job {@code afterId} (keyset, newest first). A cursor that
     * is not a job of this organization gives an empty page: the answer tells nothing about other tenants' jobs.
     */
    @Query("SELECT * FROM jobs WHERE org_id = :orgId AND type IN (:types) AND (created_at, id) < "
            + "(SELECT created_at, id FROM jobs WHERE id = :afterId AND org_id = :orgId) "
            + "ORDER BY created_at DESC, id DESC LIMIT :limit")
    List<Jobs.Job> after(UUID orgId, Collection<String> types, UUID afterId, int limit);

    /** A row error with its position, for keyset pages. */
    @Introspected
    record ErrorRow(long id, int rowNo, @Nullable String field, String code, String message) {
        public Jobs.RowError error() {
            return new Jobs.RowError(rowNo, field, code, message);
        }
    }

    /** Row errors in row order after the one at ({@code afterRow}, {@code afterId}); (0, 0) for the first page. */
    @Query("SELECT id, row_no, field, code, message FROM job_errors WHERE job_id = :jobId "
            + "AND (row_no, id) > (:afterRow, :afterId) ORDER BY row_no, id LIMIT :limit")
    List<ErrorRow> errors(UUID jobId, int afterRow, long afterId, int limit);
}

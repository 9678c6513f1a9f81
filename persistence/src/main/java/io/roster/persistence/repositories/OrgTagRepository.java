package io.roster.persistence.repositories;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;
import java.util.UUID;

/** The {@code org_tags} table. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface OrgTagRepository extends GenericRepository<OrgTag, OrgTag.Key> {

    List<OrgTag> findByIdOrgIdOrderByIdName(UUID orgId);

    long countByIdOrgId(UUID orgId);

    boolean existsById(OrgTag.Key id);

    OrgTag save(OrgTag tag);

    /** @return how many rows went: 1 when it was there, 0 when not */
    int deleteById(OrgTag.Key id);

    /** How many users of the organization carry the tag. */
    @Query("SELECT count(*) FROM user_tags WHERE org_id = :orgId AND tags @> ARRAY[:name]::text[]")
    long carriers(UUID orgId, String name);
}

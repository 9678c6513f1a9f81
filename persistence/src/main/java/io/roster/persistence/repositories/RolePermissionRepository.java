package io.roster.persistence.repositories;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;
import java.util.UUID;

/** The {@code role_permissions} table. Callers hold the organization's lock around a read-then-write. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface RolePermissionRepository extends GenericRepository<RolePermission, RolePermission.Key> {

    /** The roles the organization changed, each with its permissions. */
    List<RolePermission> findByIdOrgId(UUID orgId);

    boolean existsById(RolePermission.Key id);

    RolePermission save(RolePermission row);

    RolePermission update(RolePermission row);
}

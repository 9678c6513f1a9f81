package io.roster.gateway.orgs;

import io.roster.contracts.user.Role;
import io.roster.persistence.repositories.RolePermission;
import io.roster.persistence.repositories.RolePermissionRepository;
import jakarta.inject.Singleton;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** One organization's permission matrix as stored: a row per changed role, the defaults for the others. */
@Singleton
class PermissionMatrix {

    private final RolePermissionRepository rows;

    PermissionMatrix(RolePermissionRepository rows) {
        this.rows = rows;
    }

    Map<Role, Set<Permission>> load(UUID orgId) {
        Map<Role, Set<Permission>> matrix = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            matrix.put(role, Permission.defaults(role));
        }
        for (RolePermission row : rows.findByIdOrgId(orgId)) {
            Set<Permission> permissions = EnumSet.noneOf(Permission.class);
            for (String name : row.permissions()) {
                permissions.add(Permission.valueOf(name));
            }
            matrix.put(Role.valueOf(row.id().role()), permissions);
        }
        return matrix;
    }

    /** Stores a role's permissions; call in a transaction holding the organization's lock (read, then write). */
    void store(UUID orgId, Role role, Set<Permission> permissions) {
        RolePermission row = new RolePermission(new RolePermission.Key(orgId, role.name()),
                permissions.stream().map(Enum::name).sorted().toArray(String[]::new));
        if (rows.existsById(row.id())) {
            rows.update(row);
        } else {
            rows.save(row);
        }
    }
}

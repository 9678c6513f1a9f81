package io.roster.gateway.orgs;

import io.roster.contracts.user.Role;
import io.roster.persistence.RolePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** One organization's permission matrix as stored: a row per changed role, the defaults for the others. */
final class PermissionMatrix {

    private PermissionMatrix() {
    }

    static Map<Role, Set<Permission>> load(Connection connection, UUID orgId) throws SQLException {
        Map<Role, Set<Permission>> matrix = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            matrix.put(role, Permission.defaults(role));
        }
        for (Map.Entry<String, List<String>> row : RolePermissions.changed(connection, orgId).entrySet()) {
            Set<Permission> permissions = EnumSet.noneOf(Permission.class);
            row.getValue().forEach(name -> permissions.add(Permission.valueOf(name)));
            matrix.put(Role.valueOf(row.getKey()), permissions);
        }
        return matrix;
    }

    static void store(Connection connection, UUID orgId, Role role, Set<Permission> permissions) throws SQLException {
        RolePermissions.store(connection, orgId, role.name(), permissions.stream().map(Enum::name).toList());
    }
}

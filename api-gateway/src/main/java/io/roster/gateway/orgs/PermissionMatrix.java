package io.roster.gateway.orgs;

import io.roster.contracts.user.Role;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.EnumSet;
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
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT role, permissions FROM role_permissions WHERE org_id = ?")) {
            ps.setObject(1, orgId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Set<Permission> permissions = EnumSet.noneOf(Permission.class);
                    for (String name : (String[]) rs.getArray(2).getArray()) {
                        permissions.add(Permission.valueOf(name));
                    }
                    matrix.put(Role.valueOf(rs.getString(1)), permissions);
                }
            }
        }
        return matrix;
    }

    static void store(Connection connection, UUID orgId, Role role, Set<Permission> permissions) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO role_permissions (org_id, role, "
                + "permissions) VALUES (?, ?, ?) ON CONFLICT (org_id, role) DO UPDATE SET permissions = excluded.permissions")) {
            ps.setObject(1, orgId);
            ps.setString(2, role.name());
            ps.setArray(3, connection.createArrayOf("text", permissions.stream().map(Enum::name).toArray()));
            ps.executeUpdate();
        }
    }
}

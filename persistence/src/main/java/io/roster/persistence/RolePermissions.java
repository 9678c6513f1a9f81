package io.roster.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The {@code role_permissions} table: an organization's permissions of a role it changed, by name. */
public final class RolePermissions {

    private RolePermissions() {
    }

    /** The roles the organization changed (by name), each with its permissions' names. */
    public static Map<String, List<String>> changed(Connection connection, UUID orgId) throws SQLException {
        Map<String, List<String>> rows = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT role, permissions FROM role_permissions WHERE org_id = ?")) {
            ps.setObject(1, orgId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1), List.of((String[]) rs.getArray(2).getArray()));
                }
            }
        }
        return rows;
    }

    public static void store(Connection connection, UUID orgId, String role, Collection<String> permissions)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO role_permissions (org_id, role, "
                + "permissions) VALUES (?, ?, ?) ON CONFLICT (org_id, role) DO UPDATE SET permissions = excluded.permissions")) {
            ps.setObject(1, orgId);
            ps.setString(2, role);
            ps.setArray(3, connection.createArrayOf("text", permissions.toArray()));
            ps.executeUpdate();
        }
    }
}

package io.roster.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The {@code org_tags} table: the tags an organization defines, which its users may carry. */
public final class Tags {

    private Tags() {
    }

    public static List<String> names(Connection connection, UUID orgId) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT name FROM org_tags WHERE org_id = ? ORDER BY name")) {
            ps.setObject(1, orgId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    public static int count(Connection connection, UUID orgId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT count(*) FROM org_tags WHERE org_id = ?")) {
            ps.setObject(1, orgId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    public static boolean exists(Connection connection, UUID orgId, String name) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT 1 FROM org_tags WHERE org_id = ? AND name = ?")) {
            ps.setObject(1, orgId);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** @return whether it was inserted (false: the organization had it already) */
    public static boolean insert(Connection connection, UUID orgId, String name) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT INTO org_tags (org_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            ps.setObject(1, orgId);
            ps.setString(2, name);
            return ps.executeUpdate() == 1;
        }
    }

    /** @return whether it was there */
    public static boolean delete(Connection connection, UUID orgId, String name) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "DELETE FROM org_tags WHERE org_id = ? AND name = ?")) {
            ps.setObject(1, orgId);
            ps.setString(2, name);
            return ps.executeUpdate() == 1;
        }
    }

    /** How many users of the organization carry the tag. */
    public static int carriers(Connection connection, UUID orgId, String name) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT count(*) FROM users WHERE org_id = ? AND tags @> ARRAY[?]::text[]")) {
            ps.setObject(1, orgId);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}

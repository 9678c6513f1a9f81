package io.roster.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/** The organization tree. */
public final class Organizations {

    /** An organization; {@code path} runs from the root to this organization itself. */
    public record Org(UUID id, String name, UUID parentId, UUID[] path) {
        public int depth() {
            return path.length;
        }

        /**
         * Whether {@code ancestor} is this organization or one above it: whether an admin of {@code ancestor} reaches
         * it. The same rule in SQL is {@link #IN_REACH}.
         */
        public boolean within(UUID ancestor) {
            for (UUID id : path) {
                if (id.equals(ancestor)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Tenant reach in SQL, the twin of {@link Org#within}: the row's {@code org_id} is the organization bound to the
     * one parameter, or one below it. Every query that selects users by an organization's reach uses this fragment.
     */
    public static final String IN_REACH = "org_id IN (SELECT id FROM organizations WHERE ? = ANY (path))";

    private Organizations() {
    }

    /** Creates a root organization. */
    public static Org insertRoot(Connection connection, UUID id, String name) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT INTO organizations (id, name, parent_id, path, depth) VALUES (?, ?, NULL, ARRAY[?::uuid], 1)")) {
            ps.setObject(1, id);
            ps.setString(2, name);
            ps.setObject(3, id);
            ps.executeUpdate();
        }
        return new Org(id, name, null, new UUID[] {id});
    }

    /** The deepest level of the tree: a root is level 1. */
    public static final int MAX_DEPTH = 4;

    /** Creates a child of {@code parent}; the caller checks that {@code parent} is above {@link #MAX_DEPTH}. */
    public static Org insertChild(Connection connection, UUID id, String name, Org parent) throws SQLException {
        UUID[] path = java.util.Arrays.copyOf(parent.path(), parent.path().length + 1);
        path[path.length - 1] = id;
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT INTO organizations (id, name, parent_id, path, depth) VALUES (?, ?, ?, ?, ?)")) {
            ps.setObject(1, id);
            ps.setString(2, name);
            ps.setObject(3, parent.id());
            ps.setArray(4, connection.createArrayOf("uuid", path));
            ps.setInt(5, path.length);
            ps.executeUpdate();
        }
        return new Org(id, name, parent.id(), path);
    }

    /** The direct children of {@code parentId}, by name. */
    public static java.util.List<Org> children(Connection connection, UUID parentId) throws SQLException {
        java.util.List<Org> children = new java.util.ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT id, name, parent_id, path FROM organizations WHERE parent_id = ? ORDER BY name, id")) {
            ps.setObject(1, parentId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    children.add(new Org(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class),
                            (UUID[]) rs.getArray(4).getArray()));
                }
            }
        }
        return children;
    }

    public static Optional<Org> find(Connection connection, UUID id) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT id, name, parent_id, path FROM organizations WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Org(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class),
                        (UUID[]) rs.getArray(4).getArray()));
            }
        }
    }

    /**
     * Serializes the creation of a schema's first organization until the transaction ends (a transaction-scoped
     * advisory lock), so that gateways starting at once create it once.
     */
    public static void lockFirst(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT pg_advisory_xact_lock(hashtext('roster-bootstrap:' || current_schema()))")) {
            ps.execute();
        }
    }

    public static boolean any(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM organizations)");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /**
     * Locks the organizations' rows until the caller's commit ({@code FOR UPDATE}, in id order so that no two callers
     * deadlock): the one lock that serializes the decisions about an organization (its last admin, its tag and job
     * limits).
     */
    public static void lock(Connection connection, java.util.Collection<UUID> ids) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT id FROM organizations WHERE id = ANY (?) ORDER BY id FOR UPDATE")) {
            ps.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            ps.executeQuery().close();
        }
    }

    public static void lock(Connection connection, UUID id) throws SQLException {
        lock(connection, java.util.List.of(id));
    }
}

package io.roster.persistence;

import io.roster.contracts.event.UserSnapshot;
import io.roster.contracts.serde.Json;
import io.roster.contracts.user.Role;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The statements a bulk job's chunk runs on the users table, a set of ids at a time: hand-written SQL, one statement
 * per step whatever the chunk's size (the bulk benchmark measures them). {@link #inReach} is also the gateway's one
 * lookup of a user within reach. Table access only: which rows may be touched, and what each change means, is
 * decided by the operations that call these.
 */
public final class UserChunks {

    /** A user found by id: their organization, role, email and first name. */
    public record Selected(UUID id, UUID orgId, Role role, String email, String firstName) {
    }

    /** A deleted user: their id and the organization they were in. */
    public record Deleted(UUID id, UUID orgId) {
    }

    private UserChunks() {
    }

    /**
     * The users of {@code ids} within the reach of {@code orgId} ({@link Organizations#IN_REACH}), locked until the
     * commit when {@code lock} (in id order).
     */
    public static Map<UUID, Selected> inReach(Connection connection, UUID orgId, Collection<UUID> ids, boolean lock)
            throws SQLException {
        Map<UUID, Selected> rows = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT id, org_id, role, email, first_name FROM users "
                + "WHERE id = ANY (?) AND " + Organizations.IN_REACH + (lock ? " ORDER BY id FOR UPDATE" : ""))) {
            ps.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            ps.setObject(2, orgId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    rows.put(id, new Selected(id, rs.getObject(2, UUID.class), Role.valueOf(rs.getString(3)),
                            rs.getString(4), rs.getString(5)));
                }
            }
        }
        return rows;
    }

    /** The users of {@code ids} in {@code orgId} itself, as they are, locked until the commit (in id order). */
    public static Map<UUID, UserSnapshot> lockInOrg(Connection connection, UUID orgId, Collection<UUID> ids)
            throws SQLException {
        Map<UUID, UserSnapshot> current = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT " + UserRows.USER_COLUMNS + " FROM users u "
                + "WHERE id = ANY (?) AND org_id = ? ORDER BY id FOR UPDATE")) {
            ps.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            ps.setObject(2, orgId);
            for (UserSnapshot user : UserRows.written(connection, ps)) {
                current.put(user.id(), user);
            }
        }
        return current;
    }

    /** Of {@code orgIds}, those that define {@code tag}. */
    public static Set<UUID> orgsDefining(Connection connection, Collection<UUID> orgIds, String tag)
            throws SQLException {
        Set<UUID> defining = new HashSet<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT org_id FROM org_tags WHERE org_id = ANY (?) AND name = ?")) {
            ps.setArray(1, connection.createArrayOf("uuid", orgIds.toArray()));
            ps.setString(2, tag);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    defining.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return defining;
    }

    /** Whether {@code orgId} has an admin other than {@code leaving}. */
    public static boolean hasAdminOtherThan(Connection connection, UUID orgId, Collection<UUID> leaving)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM users "
                + "WHERE org_id = ? AND role = 'Admin' AND id <> ALL (?))")) {
            ps.setObject(1, orgId);
            ps.setArray(2, connection.createArrayOf("uuid", leaving.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Sets each user's names, role, location and tags as {@code users} say. @return the users as they are now */
    public static List<UserSnapshot> updateProfiles(Connection connection, List<UserSnapshot> users)
            throws SQLException {
        Map<UUID, List<String>> tags = new HashMap<>();
        users.forEach(u -> tags.put(u.id(), u.tags()));
        try (PreparedStatement ps = connection.prepareStatement("UPDATE users u SET first_name = v.first, "
                + "last_name = v.last, role = v.new_role, location = v.loc, updated_at = clock_timestamp() "
                + "FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[]) AS v(uid, first, last, new_role, "
                + "loc) WHERE id = v.uid RETURNING " + UserRows.USER_COLUMNS)) {
            ps.setArray(1, connection.createArrayOf("uuid", users.stream().map(UserSnapshot::id).toArray()));
            ps.setArray(2, connection.createArrayOf("text", users.stream().map(UserSnapshot::firstName).toArray()));
            ps.setArray(3, connection.createArrayOf("text", users.stream().map(UserSnapshot::lastName).toArray()));
            ps.setArray(4, connection.createArrayOf("text", users.stream().map(u -> u.role().name()).toArray()));
            ps.setArray(5, connection.createArrayOf("text", users.stream().map(UserSnapshot::location).toArray()));
            // the tags rows are locked (lockInOrg, and again here) before those whose tags change are written
            List<UserSnapshot> written = UserRows.written(connection, ps);
            written.stream().filter(u -> u.tags().equals(tags.get(u.id()))).forEach(u -> tags.remove(u.id()));
            return UserRows.withTags(written, UserRows.setTags(connection, tags));
        }
    }

    /**
     * Adds {@code tag} to each user of {@code ids} who lacks it (or removes it from each who has it): their tags rows
     * only (V24), then their users rows are read.
     *
     * @return the users changed, as they are now
     */
    public static List<UserSnapshot> tag(Connection connection, Collection<UUID> ids, String tag, boolean remove)
            throws SQLException {
        Map<UUID, UserRows.Tags> changed = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("UPDATE user_tags SET tags = "
                + (remove ? "array_remove(tags, ?)" : "array_append(tags, ?)") + ", updated_at = clock_timestamp() "
                + "WHERE user_id = ANY (?) AND " + (remove ? "" : "NOT ") + "tags @> ARRAY[?]::text[] "
                + "RETURNING user_id, tags, updated_at")) {
            ps.setString(1, tag);
            ps.setArray(2, connection.createArrayOf("uuid", ids.toArray()));
            ps.setString(3, tag);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    changed.put(rs.getObject(1, UUID.class), new UserRows.Tags(
                            List.of((String[]) rs.getArray(2).getArray()), rs.getTimestamp(3).toInstant()));
                }
            }
        }
        return UserRows.withUserRows(connection, changed);
    }

    /**
     * Deletes the users of {@code ids} within the reach of {@code orgId} who are not admins, except {@code keep}, in
     * one statement that touches each row once, with what is kept of them elsewhere ({@link #forgetting}).
     */
    public static List<Deleted> deleteNonAdminsInReach(Connection connection, UUID orgId, Collection<UUID> ids,
                                                       UUID keep) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(forgetting("id = ANY (?) AND id <> ? "
                + "AND role <> 'Admin' AND " + Organizations.IN_REACH))) {
            ps.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            ps.setObject(2, keep);
            ps.setObject(3, orgId);
            return deleted(ps);
        }
    }

    /** Deletes the users of {@code ids}, with what is kept of them elsewhere ({@link #forgetting}). */
    public static List<Deleted> delete(Connection connection, Collection<UUID> ids) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(forgetting("id = ANY (?)"))) {
            ps.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            return deleted(ps);
        }
    }

    /**
     * The one statement every deletion of users goes through: the users rows that match {@code where}, and with them
     * their sessions, their closed invitations and their activity (no foreign key cascades them: V23), each table
     * by its index on the ids the deletion returns (an array of them, built by the server: {@code = ANY (ARRAY(...))}
     * is an index scan whatever the plan, where a join with the deleted rows could be planned as a scan of the whole
     * table). Returns each deleted user's id and organization.
     */
    private static String forgetting(String where) {
        return "WITH gone AS (DELETE FROM users WHERE " + where + " RETURNING id, org_id), "
                + "sessions_gone AS (DELETE FROM sessions WHERE user_id = ANY (ARRAY(SELECT id FROM gone))), "
                + "invitations_gone AS (DELETE FROM invitations WHERE user_id = ANY (ARRAY(SELECT id FROM gone))), "
                + "activity_gone AS (DELETE FROM activity WHERE user_id = ANY (ARRAY(SELECT id FROM gone))) "
                + "SELECT id, org_id FROM gone";
    }

    /** Ends every session of the users of {@code ids}. */
    public static void endSessions(Connection connection, Collection<UUID> ids) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM sessions WHERE user_id = ANY (?)")) {
            ps.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            ps.executeUpdate();
        }
    }

    /**
     * Moves the users of {@code ids} to {@code orgId} with {@code role} and no tags.
     *
     * @return the users moved, as they are now
     */
    public static List<UserSnapshot> move(Connection connection, Collection<UUID> ids, UUID orgId, Role role)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE users u SET org_id = ?, role = ?, "
                + "updated_at = clock_timestamp() WHERE id = ANY (?) RETURNING " + UserRows.USER_COLUMNS)) {
            ps.setObject(1, orgId);
            ps.setString(2, role.name());
            ps.setArray(3, connection.createArrayOf("uuid", ids.toArray()));
            List<UserSnapshot> moved = UserRows.written(connection, ps);
            Map<UUID, List<String>> none = new HashMap<>();
            moved.stream().filter(u -> !u.tags().isEmpty()).forEach(u -> none.put(u.id(), List.of()));
            return UserRows.withTags(moved, UserRows.setTags(connection, none));
        }
    }

    private static List<Deleted> deleted(PreparedStatement ps) throws SQLException {
        List<Deleted> deleted = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                deleted.add(new Deleted(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)));
            }
        }
        return deleted;
    }
}

package io.roster.persistence;

import io.roster.contracts.user.Role;
import io.roster.persistence.Jobs.RowError;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Which users of a bulk chunk its action may touch, for {@link BulkUsers}: the ids within the job organization's
 * reach (it and its sub-organizations; the others are {@code not_found}, whether they exist elsewhere or not), minus
 * the caller themself, the users whose organization does not define a tag being added, and the last admin of an
 * organization ({@link LastAdmins}). Each refusal is a row error of the chunk.
 */
final class BulkSelection {

    /** A user a chunk names, found within reach: at which row of the job, in which organization, with which role. */
    record Found(UUID id, UUID orgId, Role role, String email, String firstName, int rowNo) {
    }

    private BulkSelection() {
    }

    /** Users in the organization {@code ?} or below it (the reach of a job's organization). */
    static final String REACH = Organizations.IN_REACH;

    static Map<UUID, Found> inReach(Connection connection, UUID orgId, List<UUID> ids, int firstRowNo,
                                            boolean lock, List<RowError> errors) throws SQLException {
        List<Integer> rowNos = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            rowNos.add(firstRowNo + i);
        }
        return inReach(connection, orgId, ids, rowNos, lock, errors);
    }

    /**
     * The users of {@code ids} (at rows {@code rowNos}) within reach of {@code orgId}, in row order (locked when
     * {@code lock}); the others are added to {@code errors} as {@code not_found}.
     */
    static Map<UUID, Found> inReach(Connection connection, UUID orgId, List<UUID> ids, List<Integer> rowNos,
                                            boolean lock, List<RowError> errors) throws SQLException {
        Map<UUID, Found> rows = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT id, org_id, role, email, first_name FROM users "
                + "WHERE id = ANY (?) AND " + REACH + (lock ? " ORDER BY id FOR UPDATE" : ""))) {
            ps.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            ps.setObject(2, orgId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    rows.put(id, new Found(id, rs.getObject(2, UUID.class), Role.valueOf(rs.getString(3)),
                            rs.getString(4), rs.getString(5), 0));
                }
            }
        }
        Map<UUID, Found> inOrder = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            UUID id = ids.get(i);
            Found user = rows.get(id);
            if (user == null) {
                errors.add(new RowError(rowNos.get(i), "userIds", "not_found",
                        "no user " + id + " in this organization or its sub-organizations"));
            } else {
                inOrder.put(id, new Found(id, user.orgId(), user.role(), user.email(), user.firstName(),
                        rowNos.get(i)));
            }
        }
        return inOrder;
    }

    /** Takes out of {@code found} the users whose organization does not define {@code tag}. */
    static void refuseUndefinedTag(Connection connection, Map<UUID, Found> found, String tag,
                                           List<RowError> errors) throws SQLException {
        Set<UUID> orgs = new HashSet<>();
        found.values().forEach(user -> orgs.add(user.orgId()));
        if (orgs.isEmpty()) {
            return;
        }
        Set<UUID> defining = new HashSet<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT org_id FROM org_tags WHERE org_id = ANY (?) AND name = ?")) {
            ps.setArray(1, connection.createArrayOf("uuid", orgs.toArray()));
            ps.setString(2, tag);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    defining.add(rs.getObject(1, UUID.class));
                }
            }
        }
        found.values().removeIf(user -> {
            if (defining.contains(user.orgId())) {
                return false;
            }
            errors.add(new RowError(user.rowNo(), "userIds", "tag_not_defined", "the organization of user "
                    + user.id() + " does not define the tag; create it there first"));
            return true;
        });
    }

    static void refuseSelf(Map<UUID, Found> found, BulkUsers.Actor actor, List<RowError> errors, String code,
                                   String message) {
        Found self = found.remove(actor.userId());
        if (self != null) {
            errors.add(new RowError(self.rowNo(), "userIds", code, message));
        }
    }

    /**
     * Leaves every organization at least one admin ({@link LastAdmins}): an organization with no admin outside
     * {@code found} keeps the last of its admins there (in row order), who is taken out of {@code found} and
     * reported as {@code last_admin}. Call with the admins in {@code found} locked.
     */
    static void keepLastAdmins(Connection connection, Map<UUID, Found> found, List<RowError> errors,
                                       String field, String verb) throws SQLException {
        Map<UUID, List<Found>> adminsByOrg = new java.util.TreeMap<>();
        for (Found user : found.values()) {
            if (user.role() == Role.Admin) {
                adminsByOrg.computeIfAbsent(user.orgId(), k -> new ArrayList<>()).add(user);
            }
        }
        if (adminsByOrg.isEmpty()) {
            return;
        }
        Map<UUID, List<UUID>> leavingIds = new java.util.TreeMap<>();
        adminsByOrg.forEach((org, admins) -> leavingIds.put(org, admins.stream().map(Found::id).toList()));
        Set<UUID> lastOnes = LastAdmins.orgsLeftWithout(connection, leavingIds);
        for (UUID org : lastOnes) {
            List<Found> leaving = adminsByOrg.get(org);
            Found last = leaving.get(leaving.size() - 1);
            found.remove(last.id());
            errors.add(new RowError(last.rowNo(), field, "last_admin", "user " + last.id()
                    + " is the last admin of their organization; make someone else an admin before you " + verb
                    + " them"));
        }
    }
}

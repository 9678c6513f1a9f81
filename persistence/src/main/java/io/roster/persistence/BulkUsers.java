package io.roster.persistence;

import io.roster.contracts.Keys;
import io.roster.contracts.event.MailMessage;
import io.roster.contracts.event.UserDeleted;
import io.roster.contracts.event.UserSnapshot;
import io.roster.contracts.event.UserTagsChanged;
import io.roster.contracts.event.UserTransferred;
import io.roster.contracts.event.UserUpdated;
import io.roster.contracts.serde.Json;
import io.roster.contracts.user.Role;
import io.roster.persistence.BulkSelection.Found;
import io.roster.persistence.Jobs.RowError;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Bulk actions on existing users, a chunk of ids at a time, in the caller's (the chunk's) transaction. Every id is
 * checked against the job organization's reach (it and its sub-organizations) when the chunk applies, not only
 * when the job was submitted: a user moved out of reach in between is reported, not touched. An id out of reach
 * and an id that does not exist get the same error ({@code not_found}), so a job tells nothing about other tenants.
 * Each changed user yields one change event (one id) through the outbox, with its activity entry.
 */
public final class BulkUsers {

    /** The users a chunk changed (or found already as asked) and the errors of the others, by row. */
    public record Result(int succeeded, List<RowError> errors) {
    }

    /** Who does it, in which job, from which client. */
    public record Actor(UUID userId, UUID jobId, String client) {
    }

    private BulkUsers() {
    }

    /**
     * What an import row with upsert gives for an account the organization already has; null (and an empty last
     * name) keeps the current value, tags are added to the user's.
     */
    public record ImportUpdate(int rowNo, UUID id, String firstName, String lastName, Role role, String location,
                               List<String> tags) {
    }

    /**
     * Updates accounts of {@code orgId} from import rows with upsert ({@link ImportUpdate}): each changed account
     * yields one {@code roster.user.updated} event with its profile as it is now; an account already as the row
     * says is counted as succeeded and changes nothing. Refused per row: more than {@code maxTags} tags, making
     * the organization's last admin something else ({@code last_admin}), an account that left the organization
     * since the row was checked ({@code changed_meanwhile}).
     */
    public static Result updateFromImport(Connection connection, UUID orgId, List<ImportUpdate> updates, int maxTags,
                                          Actor actor) throws SQLException {
        List<RowError> errors = new ArrayList<>();
        if (updates.isEmpty()) {
            return new Result(0, errors);
        }
        Map<UUID, UserSnapshot> current = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT " + Users.SNAPSHOT + " FROM users "
                + "WHERE id = ANY (?) AND org_id = ? ORDER BY id FOR UPDATE")) {
            ps.setArray(1, connection.createArrayOf("uuid", updates.stream().map(ImportUpdate::id).toArray()));
            ps.setObject(2, orgId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UserSnapshot user = Users.snapshot(rs);
                    current.put(user.id(), user);
                }
            }
        }
        int unchanged = 0;
        Map<UUID, UserSnapshot> wanted = new LinkedHashMap<>();
        Map<UUID, Found> demoted = new LinkedHashMap<>();
        for (ImportUpdate update : updates) {
            UserSnapshot now = current.get(update.id());
            if (now == null) {
                errors.add(new RowError(update.rowNo(), "email", "changed_meanwhile", "the account left this "
                        + "organization while the row was applied; submit the row again"));
                continue;
            }
            List<String> tags = new ArrayList<>(now.tags());
            update.tags().stream().filter(t -> !tags.contains(t)).forEach(tags::add);
            if (tags.size() > maxTags) {
                errors.add(new RowError(update.rowNo(), "tags", "too_many_tags", "the account would have "
                        + tags.size() + " tags; at most " + maxTags + " per user"));
                continue;
            }
            UserSnapshot after = new UserSnapshot(now.id(), now.orgId(), now.email(),
                    update.firstName() == null ? now.firstName() : update.firstName(),
                    update.lastName() == null || update.lastName().isEmpty() ? now.lastName() : update.lastName(),
                    update.role() == null ? now.role() : update.role(),
                    update.location() == null ? now.location() : update.location(), tags, now.status(),
                    now.lastLoginAt(), now.invitedAt(), now.updatedAt());
            if (after.equals(now)) {
                unchanged++;
                continue;
            }
            wanted.put(now.id(), after);
            if (now.role() == Role.Admin && after.role() != Role.Admin) {
                demoted.put(now.id(), new Found(now.id(), orgId, Role.Admin, now.email(), now.firstName(),
                        update.rowNo()));
            }
        }
        Set<UUID> demotions = new HashSet<>(demoted.keySet());
        BulkSelection.keepLastAdmins(connection, demoted, errors, "role", "demote");
        demotions.removeAll(demoted.keySet());
        wanted.keySet().removeAll(demotions);
        List<Users.Change> changes = new ArrayList<>(wanted.size());
        if (!wanted.isEmpty()) {
            List<UserSnapshot> users = new ArrayList<>(wanted.values());
            try (PreparedStatement ps = connection.prepareStatement("UPDATE users SET first_name = v.first, "
                    + "last_name = v.last, role = v.new_role, location = v.loc, "
                    + "tags = ARRAY(SELECT jsonb_array_elements_text(v.tag_list::jsonb)), "
                    + "updated_at = clock_timestamp() FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], "
                    + "?::text[], ?::text[]) AS v(uid, first, last, new_role, loc, tag_list) WHERE id = v.uid "
                    + "RETURNING " + Users.SNAPSHOT)) {
                ps.setArray(1, connection.createArrayOf("uuid", users.stream().map(UserSnapshot::id).toArray()));
                ps.setArray(2, connection.createArrayOf("text", users.stream().map(UserSnapshot::firstName).toArray()));
                ps.setArray(3, connection.createArrayOf("text", users.stream().map(UserSnapshot::lastName).toArray()));
                ps.setArray(4, connection.createArrayOf("text", users.stream().map(u -> u.role().name()).toArray()));
                ps.setArray(5, connection.createArrayOf("text", users.stream().map(UserSnapshot::location).toArray()));
                ps.setArray(6, connection.createArrayOf("text", users.stream().map(u -> Json.writeString(u.tags()))
                        .toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        UserSnapshot user = Users.snapshot(rs);
                        changes.add(new Users.Change(UUID.randomUUID(), new UserUpdated(user.id(), user.orgId(),
                                user.firstName(), user.lastName(), user.role(), user.location(), user.tags(),
                                user.updatedAt(), actor.userId()), user, user.updatedAt(), actor.userId(),
                                actor.client(), "import with upsert, job " + actor.jobId(), null));
                    }
                }
            }
            Users.recordChanges(connection, changes);
        }
        return new Result(unchanged + changes.size(), errors);
    }

    /**
     * Adds {@code tag} to each user (or removes it). A user who already has it (or, removing, has not) is counted
     * as succeeded and changes nothing: no event, no activity. A user carries only tags their own organization
     * defines: adding a tag to a user of a sub-organization that does not define it is a row error
     * ({@code tag_not_defined}), so that deleting a tag finds every user who carries it in its organization.
     */
    public static Result tag(Connection connection, UUID orgId, List<UUID> ids, int firstRowNo, String tag,
                             boolean remove, Actor actor) throws SQLException {
        List<RowError> errors = new ArrayList<>();
        Map<UUID, Found> found = BulkSelection.inReach(connection, orgId, ids, firstRowNo, false, errors);
        if (!remove) {
            BulkSelection.refuseUndefinedTag(connection, found, tag, errors);
        }
        List<Users.Change> changes = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("UPDATE users SET tags = "
                + (remove ? "array_remove(tags, ?)" : "array_append(tags, ?)") + ", updated_at = clock_timestamp() "
                + "WHERE id = ANY (?) AND " + (remove ? "" : "NOT ") + "tags @> ARRAY[?]::text[] RETURNING "
                + Users.SNAPSHOT)) {
            ps.setString(1, tag);
            ps.setArray(2, connection.createArrayOf("uuid", found.keySet().toArray()));
            ps.setString(3, tag);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UserSnapshot user = Users.snapshot(rs);
                    UserTagsChanged data = new UserTagsChanged(user.id(), user.orgId(),
                            remove ? List.of() : List.of(tag), remove ? List.of(tag) : List.of(), user.tags(),
                            user.updatedAt(), actor.userId(), actor.jobId());
                    changes.add(new Users.Change(UUID.randomUUID(), data, user, user.updatedAt(), actor.userId(),
                            actor.client(), (remove ? "removed tag " : "added tag ") + tag, null));
                }
            }
        }
        Users.recordChanges(connection, changes);
        return new Result(found.size(), errors);
    }

    /**
     * Deletes each user: their sessions end and their pending invitations die with the row (cascades), their
     * activity is removed, and each gets a {@code roster.user.deleted} event and a tombstone on the users topic.
     * Refused per row: the caller themself ({@code cannot_delete_self}) and the last admin of an organization
     * ({@code last_admin}).
     */
    public static Result delete(Connection connection, UUID orgId, List<UUID> ids, int firstRowNo, Actor actor,
                                Instant now) throws SQLException {
        // Most users are not admins: they go in one statement that touches each row once (no separate read or lock
        // first). The rest (admins, the caller, ids not found, and a user whose role changed meanwhile) are then
        // locked and decided one by one: locked, their state cannot change before the commit. The lock of the
        // organization that the last-admin rule takes is held from there to the commit, so everything else is
        // done before it.
        List<RowError> errors = new ArrayList<>();
        List<Users.Change> changes = new ArrayList<>(ids.size());
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM users WHERE id = ANY (?) AND id <> ? "
                + "AND role <> 'Admin' AND " + BulkSelection.REACH + " RETURNING id, org_id")) {
            ps.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            ps.setObject(2, actor.userId());
            ps.setObject(3, orgId);
            collectDeleted(ps, changes, actor, now);
        }
        Map<UUID, Found> found = Map.of();
        if (changes.size() < ids.size()) {
            Set<UUID> gone = new HashSet<>(changes.size() * 2);
            changes.forEach(change -> gone.add(change.data().userId()));
            List<UUID> rest = new ArrayList<>();
            List<Integer> restRows = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                if (!gone.contains(ids.get(i))) {
                    rest.add(ids.get(i));
                    restRows.add(firstRowNo + i);
                }
            }
            found = BulkSelection.inReach(connection, orgId, rest, restRows, true, errors);
            BulkSelection.refuseSelf(found, actor, errors, "cannot_delete_self",
                    "you cannot delete yourself; ask another admin");
        }
        int succeeded = removeActivityAndRecord(connection, changes);
        if (!found.isEmpty()) {
            BulkSelection.keepLastAdmins(connection, found, errors, "userIds", "delete");
            List<Users.Change> more = new ArrayList<>(found.size());
            try (PreparedStatement ps = connection.prepareStatement(
                    "DELETE FROM users WHERE id = ANY (?) RETURNING id, org_id")) {
                ps.setArray(1, connection.createArrayOf("uuid", found.keySet().toArray()));
                collectDeleted(ps, more, actor, now);
            }
            succeeded += removeActivityAndRecord(connection, more);
        }
        return new Result(succeeded, errors);
    }

    /** Removes the activity of the deleted users of {@code changes} and records the changes. @return how many */
    private static int removeActivityAndRecord(Connection connection, List<Users.Change> changes) throws SQLException {
        if (changes.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM activity WHERE user_id = ANY (?)")) {
            ps.setArray(1, connection.createArrayOf("uuid", changes.stream().map(c -> c.data().userId()).toArray()));
            ps.executeUpdate();
        }
        Users.recordChanges(connection, changes);
        return changes.size();
    }

    private static void collectDeleted(PreparedStatement delete, List<Users.Change> changes, Actor actor, Instant now)
            throws SQLException {
        try (ResultSet rs = delete.executeQuery()) {
            while (rs.next()) {
                UUID id = rs.getObject(1, UUID.class);
                changes.add(new Users.Change(UUID.randomUUID(), new UserDeleted(id, rs.getObject(2, UUID.class),
                        now, actor.userId(), actor.jobId()), null, now, actor.userId(), actor.client(), null, null));
            }
        }
    }

    /**
     * Moves each user to {@code destination} with {@code role}: their account and password stay, their sessions
     * end (they were granted in the old organization), their tags are dropped (tags belong to an organization).
     * Each user is mailed; the destination's admin gets one mail per chunk naming the users who arrived.
     * Refused per row: the caller themself, the last admin of an organization, a user already in the destination.
     */
    public static Result transfer(Connection connection, UUID orgId, List<UUID> ids, int firstRowNo,
                                  Organizations.Org destination, UUID destinationAdminId, Role role, Actor actor)
            throws SQLException {
        List<RowError> errors = new ArrayList<>();
        Map<UUID, Found> found = BulkSelection.inReach(connection, orgId, ids, firstRowNo, true, errors);
        BulkSelection.refuseSelf(found, actor, errors, "cannot_transfer_self",
                "you cannot transfer yourself; ask another admin");
        found.values().removeIf(user -> {
            if (user.orgId().equals(destination.id())) {
                errors.add(new RowError(user.rowNo(), "userIds", "already_in_destination",
                        "user " + user.id() + " is already in " + destination.name()));
                return true;
            }
            return false;
        });
        BulkSelection.keepLastAdmins(connection, found, errors, "userIds", "transfer");
        UUID[] moving = found.keySet().toArray(UUID[]::new);
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM sessions WHERE user_id = ANY (?)")) {
            ps.setArray(1, connection.createArrayOf("uuid", moving));
            ps.executeUpdate();
        }
        List<Users.Change> changes = new ArrayList<>(moving.length);
        List<String> arrived = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("UPDATE users SET org_id = ?, role = ?, tags = '{}', "
                + "updated_at = clock_timestamp() WHERE id = ANY (?) RETURNING " + Users.SNAPSHOT)) {
            ps.setObject(1, destination.id());
            ps.setString(2, role.name());
            ps.setArray(3, connection.createArrayOf("uuid", moving));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UserSnapshot user = Users.snapshot(rs);
                    Found before = found.get(user.id());
                    MailMessage mail = new MailMessage(UUID.randomUUID(), user.email(),
                            "You have moved to " + destination.name(), "Hello " + before.firstName() + ",\n\nyour "
                            + "account now belongs to " + destination.name() + ", with the role " + role + ". Your "
                            + "password is unchanged; please sign in again.\n", "transfer", user.id());
                    changes.add(new Users.Change(UUID.randomUUID(), new UserTransferred(user.id(), destination.id(),
                            before.orgId(), role, user.updatedAt(), actor.userId(), actor.jobId()), user,
                            user.updatedAt(), actor.userId(), actor.client(), "moved to " + destination.name(),
                            Json.writeString(mail)));
                    arrived.add(user.email());
                }
            }
        }
        Users.recordChanges(connection, changes);
        if (!arrived.isEmpty()) {
            Users.UserContact admin = Users.contact(connection, destinationAdminId);
            if (admin != null) {
                MailMessage mail = new MailMessage(UUID.randomUUID(), admin.email(), arrived.size()
                        + (arrived.size() == 1 ? " user was" : " users were") + " transferred to " + destination.name(),
                        "Hello " + admin.firstName() + ",\n\nthese users now belong to " + destination.name()
                                + " with the role " + role + " (job " + actor.jobId() + "):\n\n"
                                + String.join("\n", arrived) + "\n", "transfer-admin", destinationAdminId);
                Outbox.append(connection, List.of(Outbox.Entry.mail(mail.id(), Keys.user(destinationAdminId),
                        Json.writeString(mail))));
            }
        }
        return new Result(changes.size(), errors);
    }
}

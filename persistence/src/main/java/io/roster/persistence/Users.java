package io.roster.persistence;

import io.roster.contracts.Keys;
import io.roster.contracts.event.StatusChanged;
import io.roster.contracts.event.UserChange;
import io.roster.contracts.event.UserChangeEvent;
import io.roster.contracts.event.UserInvited;
import io.roster.contracts.event.UserSnapshot;
import io.roster.contracts.event.UserStatusChanged;
import io.roster.contracts.serde.Json;
import io.roster.contracts.user.Role;
import io.roster.contracts.user.UserStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes of users together with what every committed change owes the world: one change event id in the outbox,
 * the user's new state for the compacted users topic, and an activity entry (an invitation's is the user row
 * itself), all in the caller's transaction.
 */
public final class Users {

    /** A user about to be invited. {@code passwordHash} is null unless the account is created with a password. */
    public record NewUser(UUID id, UUID orgId, String email, String firstName, String lastName, Role role,
                          String location, List<String> tags, String passwordHash, Instant invitedAt,
                          UUID invitedBy, UUID jobId, String client) {
        public NewUser {
            tags = tags == null ? List.of() : List.copyOf(tags);
        }
    }

    /** Where an email already has an account. */
    public record ExistingEmail(String email, UUID userId, UUID orgId, UUID inviteJobId) {
    }

    private Users() {
    }

    /**
     * Applies a status transition from the status topology, unless the user already has a status from the same
     * moment or later (a re-delivery, or a transition that arrives late). Writes the change event, the snapshot and
     * the activity entry with it. A deleted user is left alone.
     *
     * @return whether the transition changed the user
     */
    public static boolean applyStatus(Connection connection, StatusChanged transition, UUID eventId)
            throws SQLException {
        UserSnapshot snapshot;
        try (PreparedStatement ps = connection.prepareStatement("UPDATE users u SET status = ?, status_changed_at = ?, "
                + "last_login_at = GREATEST(last_login_at, ?), updated_at = clock_timestamp() "
                + "WHERE id = ? AND (status_changed_at IS NULL OR status_changed_at < ?) RETURNING " + UserRows.USER_COLUMNS)) {
            Timestamp at = Timestamp.from(transition.at());
            ps.setString(1, transition.to().name());
            ps.setTimestamp(2, at);
            ps.setTimestamp(3, transition.lastLoginAt() == null ? null : Timestamp.from(transition.lastLoginAt()));
            ps.setObject(4, transition.userId());
            ps.setTimestamp(5, at);
            snapshot = single(UserRows.written(connection, ps));
            if (snapshot == null) {
                return false;
            }
        }
        UserStatusChanged data = new UserStatusChanged(snapshot.id(), snapshot.orgId(), transition.from(),
                transition.to(), transition.at(), snapshot.lastLoginAt());
        recordChange(connection, eventId, data, snapshot, null, "status-topology",
                transition.from() + " -> " + transition.to());
        return true;
    }

    /**
     * Records one committed change of a user: its event (one id), the user's new state for the users topic, and the
     * activity entry. Call in the transaction of the change.
     */
    public static void recordChange(Connection connection, UUID eventId, UserChange data, UserSnapshot snapshot,
                                    UUID actorId, String client, String details) throws SQLException {
        recordChanges(connection, List.of(new Change(eventId, data, snapshot, snapshot.updatedAt(), actorId, client,
                details, null)));
    }

    /**
     * One committed change of a user, as {@link #recordChanges} records it; {@code snapshot} is null when the user
     * is gone (the users topic gets a tombstone, and no activity entry is kept for them); {@code mail} (JSON of a
     * MailMessage, or null) goes out with the change.
     */
    public record Change(UUID eventId, UserChange data, UserSnapshot snapshot, Instant at, UUID actorId,
                         String client, String details, String mail) {
    }

    /** Records many changes at once: one batch of outbox entries, one of activity entries. */
    public static void recordChanges(Connection connection, List<Change> changes) throws SQLException {
        Records records = records(changes);
        Outbox.append(connection, records.outbox());
        Activity.append(connection, records.activity());
    }

    /** What changes owe: their outbox entries (the events' and snapshots' JSON) and their activity entries. */
    public record Records(List<Outbox.Entry> outbox, List<Activity.Entry> activity) {
    }

    /** The outbox and activity entries of {@code changes}, written by {@link #recordChanges}. */
    public static Records records(List<Change> changes) {
        List<Outbox.Entry> entries = new ArrayList<>(changes.size());
        List<Activity.Entry> activity = new ArrayList<>(changes.size());
        for (Change change : changes) {
            UserChange data = change.data();
            String key = Keys.user(data.userId());
            if (change.snapshot() == null) {
                entries.add(Outbox.Entry.removal(change.eventId(), key, Json.writeString(
                        UserChangeEvent.of(change.eventId(), change.at(), data))));
                continue;
            }
            Instant at = change.at();
            Outbox.Entry entry = Outbox.Entry.change(change.eventId(), key,
                    Json.writeString(UserChangeEvent.of(change.eventId(), at, data)), Json.writeString(change.snapshot()));
            entries.add(change.mail() == null ? entry : entry.withMail(change.mail()));
            activity.add(new Activity.Entry(data.userId(), data.orgId(), change.actorId(), data.action(),
                    change.client(), change.details(), at));
        }
        return new Records(entries, activity);
    }

    /** An account as a login sees it: who, where, which role, and the password's hash (null before the invitation). */
    public record Account(UUID id, UUID orgId, String email, String firstName, String lastName, Role role,
                          String passwordHash) {
    }

    /** The account with {@code email} (normalized), or null. */
    public static Account account(Connection connection, String email) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT id, org_id, email, first_name, last_name, role, "
                + "password_hash FROM users WHERE email = ?")) {
            ps.setString(1, email);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Account(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getString(3), rs.getString(4), rs.getString(5), Role.valueOf(rs.getString(6)),
                        rs.getString(7)) : null;
            }
        }
    }

    /** Where to mail a user. */
    public record UserContact(UUID id, String email, String firstName) {
    }

    /** The user's email and first name, or null when there is no such user. */
    public static UserContact contact(Connection connection, UUID userId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT email, first_name FROM users WHERE id = ?")) {
            ps.setObject(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new UserContact(userId, rs.getString(1), rs.getString(2)) : null;
            }
        }
    }

    /** The user's current state, or null. */
    public static UserSnapshot find(Connection connection, UUID userId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT " + UserRows.SNAPSHOT + UserRows.SNAPSHOTS
                + " WHERE u.id = ?")) {
            ps.setObject(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? UserRows.snapshot(rs) : null;
            }
        }
    }

    /** Edits the profile; returns the new state, or null when the user does not exist. */
    public static UserSnapshot updateProfile(Connection connection, UUID userId, String firstName, String lastName,
                                             Role role, String location) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE users u SET first_name = ?, last_name = ?, "
                + "role = ?, location = ?, updated_at = clock_timestamp() WHERE id = ? RETURNING " + UserRows.USER_COLUMNS)) {
            ps.setString(1, firstName);
            ps.setString(2, lastName);
            ps.setString(3, role.name());
            ps.setString(4, location);
            ps.setObject(5, userId);
            return single(UserRows.written(connection, ps));
        }
    }

    /** The user's role now, or null when there is no such user. */
    public static Role roleOf(Connection connection, UUID userId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT role FROM users WHERE id = ?")) {
            ps.setObject(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Role.valueOf(rs.getString(1)) : null;
            }
        }
    }

    /**
     * Ends every session of the user and, when {@code passwordHash} is given, sets it; returns the new state (null
     * when the user does not exist).
     */
    public static UserSnapshot endSessions(Connection connection, UUID userId, String passwordHash) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM sessions WHERE user_id = ?")) {
            ps.setObject(1, userId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = connection.prepareStatement("UPDATE users u SET password_hash = "
                + "coalesce(?, password_hash), updated_at = clock_timestamp() WHERE id = ? RETURNING " + UserRows.USER_COLUMNS)) {
            ps.setString(1, passwordHash);
            ps.setObject(2, userId);
            return single(UserRows.written(connection, ps));
        }
    }

    /**
     * Moves {@code last_login_at} forwards to {@code at} (never back) and puts the user's new state in the outbox for
     * the users topic, which carries every field as it is (a state without a change event: a login is published on
     * the logins topic). Nothing changes, and nothing is published, for a login older than the last one recorded.
     */
    public static void recordLogin(Connection connection, UUID userId, java.time.Instant at) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "UPDATE users u SET last_login_at = ? WHERE id = ? AND (last_login_at IS NULL OR last_login_at < ?) "
                        + "RETURNING " + UserRows.USER_COLUMNS)) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setObject(2, userId);
            ps.setTimestamp(3, Timestamp.from(at));
            UserSnapshot user = single(UserRows.written(connection, ps));
            if (user != null) {
                Outbox.append(connection, List.of(Outbox.Entry.state(UUID.randomUUID(), user.id().toString(),
                        Json.writeString(user))));
            }
        }
    }

    private static UserSnapshot single(List<UserSnapshot> users) {
        return users.isEmpty() ? null : users.get(0);
    }

    /** The accounts that already hold any of {@code emails} (lower-case), by email. */
    public static Map<String, ExistingEmail> existing(Connection connection, Collection<String> emails)
            throws SQLException {
        Map<String, ExistingEmail> found = new HashMap<>();
        if (emails.isEmpty()) {
            return found;
        }
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT email, id, org_id, invite_job_id FROM users WHERE email = ANY (?)")) {
            ps.setArray(1, connection.createArrayOf("text", emails.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getString(1), new ExistingEmail(rs.getString(1), rs.getObject(2, UUID.class),
                            rs.getObject(3, UUID.class), rs.getObject(4, UUID.class)));
                }
            }
        }
        return found;
    }

    /** {@link #insertInvited(Connection, List, java.util.function.Supplier, Invitations.Batch)}, no invitations. */
    public static void insertInvited(Connection connection, List<NewUser> users,
                                     java.util.function.Supplier<UUID> eventIds) throws SQLException {
        insertInvited(connection, users, eventIds, null);
    }

    /**
     * Inserts invited users with their open invitations, their {@code roster.user.invited} events and snapshots
     * (with the invitation mails). The invitation's entry in the activity log is the user row itself (who invited,
     * when, from which client, by which job: the {@code user_activity} view), not an activity row.
     * A concurrent invitation of the same email makes this throw a unique violation (SQL state 23505): the
     * caller's transaction rolls back and is retried.
     *
     * @param eventIds    supplies the one event id of each user's invitation
     * @param invitations the users' invitations (token hashes, mails), or null for none
     */
    public static void insertInvited(Connection connection, List<NewUser> users,
                                     java.util.function.Supplier<UUID> eventIds,
                                     Invitations.Batch invitations) throws SQLException {
        if (users.isEmpty()) {
            return;
        }
        // COPY, not INSERT: one stream of the chunk's rows, which PostgreSQL writes in batches, costs a user row
        // about half of what a batched multi-row INSERT does (the import benchmark's stages). The foreign key, the
        // unique indexes and the counting triggers apply to it as to an INSERT.
        StringBuilder rows = new StringBuilder(users.size() * 320);
        for (NewUser u : users) {
            String at = u.invitedAt().toString();
            byte[] token = invitations == null ? null : invitations.hashFor(u.id());
            CopyCsv.row(rows, u.id(), u.orgId(), u.email(), u.firstName(), u.lastName(), u.role().name(),
                    u.location(), "pending", u.passwordHash(), at, u.jobId(), at, at,
                    token == null ? null : CopyCsv.bytea(token),
                    token == null ? null : invitations.sentAt().toString(),
                    token == null ? null : invitations.expiresAt().toString(), u.invitedBy(), u.client());
        }
        // each user's tags row first, with their tags: the users' insert trigger then adds none (V24)
        StringBuilder tags = new StringBuilder(users.size() * 100);
        for (NewUser u : users) {
            CopyCsv.row(tags, u.id(), u.orgId(), "pending", CopyCsv.textArray(u.tags()), u.invitedAt().toString());
        }
        CopyCsv.copyIn(connection, "COPY user_tags (user_id, org_id, status, tags, updated_at) FROM STDIN WITH "
                + "(FORMAT csv)", tags);
        CopyCsv.copyIn(connection, "COPY users (id, org_id, email, first_name, last_name, role, location, "
                + "status, password_hash, invited_at, invite_job_id, created_at, updated_at, invite_token_hash, "
                + "invite_sent_at, invite_expires_at, invited_by, invite_client) FROM STDIN WITH (FORMAT csv)", rows);
        Outbox.append(connection, invitedEntries(users, eventIds, invitations));
    }

    /**
     * The outbox entries of invited users, as {@link #insertInvited} writes them: each user's
     * {@code roster.user.invited} event, snapshot and invitation mail.
     */
    public static List<Outbox.Entry> invitedEntries(List<NewUser> users, java.util.function.Supplier<UUID> eventIds,
                                                    Invitations.Batch invitations) {
        List<Outbox.Entry> entries = new ArrayList<>(users.size());
        for (NewUser u : users) {
            UserInvited data = new UserInvited(u.id(), u.orgId(), u.email(), u.firstName(), u.lastName(), u.role(),
                    u.location(), u.tags(), UserStatus.pending, u.invitedAt(), u.invitedBy(), u.jobId());
            UserChangeEvent event = UserChangeEvent.of(eventIds.get(), u.invitedAt(), data);
            UserSnapshot snapshot = new UserSnapshot(u.id(), u.orgId(), u.email(), u.firstName(), u.lastName(),
                    u.role(), u.location(), u.tags(), UserStatus.pending, null, u.invitedAt(), u.invitedAt());
            String key = Keys.user(u.id());
            Outbox.Entry entry = Outbox.Entry.change(event.id(), key, Json.writeString(event), Json.writeString(snapshot));
            String mail = invitations == null ? null : invitations.mailFor(u.id());
            entries.add(mail == null ? entry : entry.withMail(mail));
        }
        return entries;
    }
}

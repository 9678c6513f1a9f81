package io.roster.persistence;

import io.roster.contracts.Keys;
import io.roster.contracts.event.UserChangeEvent;
import io.roster.contracts.event.UserInvited;
import io.roster.contracts.event.UserSnapshot;
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
 * the user's new state for the compacted users topic, and an activity entry, all in the caller's transaction.
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

    /**
     * Inserts invited users, their {@code roster.user.invited} events and snapshots, and their activity entries.
     * A concurrent invitation of the same email makes this throw a unique violation (SQL state 23505): the
     * caller's transaction rolls back and is retried.
     *
     * @param eventIds supplies the one event id of each user's invitation
     */
    public static void insertInvited(Connection connection, List<NewUser> users, java.util.function.Supplier<UUID> eventIds)
            throws SQLException {
        if (users.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO users (id, org_id, email, first_name, "
                + "last_name, role, location, tags, status, password_hash, invited_at, invite_job_id, created_at, "
                + "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?)")) {
            for (NewUser u : users) {
                Timestamp at = Timestamp.from(u.invitedAt());
                ps.setObject(1, u.id());
                ps.setObject(2, u.orgId());
                ps.setString(3, u.email());
                ps.setString(4, u.firstName());
                ps.setString(5, u.lastName());
                ps.setString(6, u.role().name());
                ps.setString(7, u.location());
                ps.setArray(8, connection.createArrayOf("text", u.tags().toArray()));
                ps.setString(9, u.passwordHash());
                ps.setTimestamp(10, at);
                ps.setObject(11, u.jobId());
                ps.setTimestamp(12, at);
                ps.setTimestamp(13, at);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        List<Outbox.Entry> entries = new ArrayList<>(users.size() * 2);
        for (NewUser u : users) {
            UserInvited data = new UserInvited(u.id(), u.orgId(), u.email(), u.firstName(), u.lastName(), u.role(),
                    u.location(), u.tags(), UserStatus.pending, u.invitedAt(), u.invitedBy(), u.jobId());
            UserChangeEvent event = UserChangeEvent.of(eventIds.get(), u.invitedAt(), data);
            UserSnapshot snapshot = new UserSnapshot(u.id(), u.orgId(), u.email(), u.firstName(), u.lastName(),
                    u.role(), u.location(), u.tags(), UserStatus.pending, null, u.invitedAt(), u.invitedAt());
            String key = Keys.user(u.id());
            entries.add(Outbox.Entry.of(event.id(), Outbox.Destination.USER_CHANGES, key, Json.writeString(event)));
            entries.add(Outbox.Entry.of(event.id(), Outbox.Destination.USERS, key, Json.writeString(snapshot)));
        }
        Outbox.append(connection, entries);
        Activity.append(connection, users.stream().map(u -> new Activity.Entry(u.id(), u.orgId(), u.invitedBy(),
                UserChangeEvent.INVITED, u.client(), u.jobId() == null ? null : "job " + u.jobId(), u.invitedAt()))
                .toList());
    }
}

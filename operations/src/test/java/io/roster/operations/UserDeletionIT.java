package io.roster.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roster.contracts.user.Role;
import io.roster.persistence.Invitations;
import io.roster.persistence.Tx;
import io.roster.testsupport.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Deleting users removes their sessions, their closed invitations and their activity in the same statement (no
 * foreign key cascades them since V23), on both of {@link DeleteUsers}' paths: the users who go in one statement, and
 * those decided one by one (admins); other users' rows stay.
 */
class UserDeletionIT {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase("deletion");

    @Test
    void sessionsClosedInvitationsAndActivityGoWithTheirUsers() {
        UUID org = Fixtures.org(DB.pool());
        UUID caller = Fixtures.user(DB.pool(), Role.Admin, org);
        UUID otherAdmin = Fixtures.user(DB.pool(), Role.Admin, org);
        UUID user = Fixtures.user(DB.pool(), Role.User, org);
        UUID admin = Fixtures.user(DB.pool(), Role.Admin, org);
        UUID stays = Fixtures.user(DB.pool(), Role.User, org);
        for (UUID id : List.of(user, admin, stays)) {
            Tx.run(DB.pool(), c -> {
                // two invitations: the first is revoked by the second and moves to the invitations table
                for (int i = 0; i < 2; i++) {
                    Invitations.issue(c, id, id + "@example.com", "First", Duration.ofDays(7),
                            Mails.invitations("Org", "http://x"), Instant.now());
                }
                try (var ps = c.prepareStatement("INSERT INTO sessions (token_hash, user_id, expires_at) "
                        + "VALUES (?, ?, now() + interval '1 day')")) {
                    ps.setBytes(1, UUID.randomUUID().toString().getBytes());
                    ps.setObject(2, id);
                    ps.executeUpdate();
                }
                io.roster.persistence.Activity.append(c, List.of(new io.roster.persistence.Activity.Entry(id, org,
                        caller, "user.updated", "test", null, Instant.now())));
                return null;
            });
        }
        assertEquals(3, count("sessions", List.of(user, admin, stays)));
        assertEquals(3, count("invitations", List.of(user, admin, stays)));
        assertEquals(3, count("activity", List.of(user, admin, stays)));

        ChunkResult result = Tx.run(DB.pool(), c -> DeleteUsers.apply(c, org, List.of(user, admin), 1,
                new Actor(caller, UUID.randomUUID(), "test"), Instant.now()));

        assertEquals(2, result.succeeded(), result.errors().toString());
        assertEquals(0, count("sessions", List.of(user, admin)));
        assertEquals(0, count("invitations", List.of(user, admin)));
        assertEquals(1, count("sessions", List.of(stays)));
        assertEquals(1, count("invitations", List.of(stays)));
        assertEquals(0, count("activity", List.of(user, admin)));
        assertEquals(1, count("activity", List.of(stays)));
        assertEquals(2, count("users", List.of(caller, otherAdmin)));
    }

    private static long count(String table, List<UUID> users) {
        return Tx.run(DB.pool(), c -> {
            try (var ps = c.prepareStatement("SELECT count(*) FROM " + table + " WHERE "
                    + (table.equals("users") ? "id" : "user_id") + " = ANY (?)")) {
                ps.setArray(1, c.createArrayOf("uuid", users.toArray()));
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }
}

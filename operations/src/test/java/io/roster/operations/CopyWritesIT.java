package io.roster.operations;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.roster.contracts.event.UserSnapshot;
import io.roster.contracts.user.Role;
import io.roster.contracts.user.UserStatus;
import io.roster.persistence.Invitations;
import io.roster.persistence.Tx;
import io.roster.persistence.Users;
import io.roster.testsupport.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Invited users and activity entries are written by COPY (CSV): every value the validators let through comes back as
 * written, quotes, commas, backslashes, braces and non-Latin text included; null and the empty string stay apart;
 * the invitation's token hash and times arrive; and a duplicate email still fails the chunk with a unique violation
 * (23505), which the chunk's transaction retries.
 */
class CopyWritesIT {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase("copy");

    @Test
    void everyValueComesBackAsWritten() {
        UUID org = Fixtures.org(DB.pool());
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        UUID job = UUID.randomUUID();
        UUID by = Fixtures.user(DB.pool(), Role.Admin, org);
        Users.NewUser tricky = new Users.NewUser(UUID.randomUUID(), org, "o'neil+\"x\"@copy.example",
                "Zoë \"Z\", Jr.", "O'Neil \\ Ünal, 王", Role.Staff, "", List.of("a,b", "say \"hi\"", "back\\slash",
                "{braces}", "sp ace", "NULL"), null, at, by, job, "console, \"beta\"");
        Users.NewUser plain = new Users.NewUser(UUID.randomUUID(), org, "plain@copy.example", "Plain", "User",
                Role.User, null, List.of(), "$argon2id$hash", at, null, null, null);
        Invitations.Batch invitations = Invitations.prepare(List.of(new Invitations.Invitee(tricky.id(),
                tricky.email(), tricky.firstName())), Duration.ofDays(7), Mails.invitations("Copy", "http://x"), at);
        Tx.run(DB.pool(), c -> {
            Users.insertInvited(c, List.of(tricky, plain), UUID::randomUUID, invitations);
            return null;
        });

        UserSnapshot first = Tx.run(DB.pool(), c -> Users.find(c, tricky.id()));
        assertEquals(new UserSnapshot(tricky.id(), org, tricky.email(), tricky.firstName(), tricky.lastName(),
                Role.Staff, "", tricky.tags(), UserStatus.pending, null, at, at), first);
        UserSnapshot second = Tx.run(DB.pool(), c -> Users.find(c, plain.id()));
        assertNull(second.location(), "null stays null, apart from the empty string");
        assertEquals(List.of(), second.tags());
        Tx.run(DB.pool(), c -> {
            try (var ps = c.prepareStatement("SELECT invite_token_hash, invite_sent_at, invite_expires_at, invited_by, "
                    + "invite_client, invite_job_id, password_hash FROM users WHERE id = ?")) {
                ps.setObject(1, tricky.id());
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    assertArrayEquals(invitations.hashFor(tricky.id()), rs.getBytes(1));
                    assertEquals(at, rs.getTimestamp(2).toInstant());
                    assertEquals(at.plus(Duration.ofDays(7)), rs.getTimestamp(3).toInstant());
                    assertEquals(by, rs.getObject(4, UUID.class));
                    assertEquals("console, \"beta\"", rs.getString(5));
                    assertEquals(job, rs.getObject(6, UUID.class));
                    assertNull(rs.getString(7));
                }
                ps.setObject(1, plain.id());
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    assertNull(rs.getBytes(1));
                    assertNull(rs.getString(5));
                    assertEquals("$argon2id$hash", rs.getString(7));
                }
            }
            return null;
        });
    }

    @Test
    void activityEntriesComeBackAsWritten() {
        UUID org = Fixtures.org(DB.pool());
        UUID user = Fixtures.user(DB.pool(), Role.User, org);
        UUID admin = Fixtures.user(DB.pool(), Role.Admin, org);
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Tx.run(DB.pool(), c -> {
            io.roster.persistence.Activity.append(c, List.of(
                    new io.roster.persistence.Activity.Entry(user, org, admin, "roster.user.tags-changed",
                            "console, \"beta\"", "added tag \"a,b\" \\ {x}", at),
                    new io.roster.persistence.Activity.Entry(user, org, null, "roster.user.status-changed", null, "",
                            at.plusMillis(1))));
            return null;
        });
        List<io.roster.persistence.Activity.Logged> logged = Tx.run(DB.pool(), c ->
                io.roster.persistence.Activity.latest(c, user, 10));
        assertEquals(new io.roster.persistence.Activity.Logged(at.plusMillis(1), "roster.user.status-changed", null,
                null, null, ""), logged.get(0));
        assertEquals(new io.roster.persistence.Activity.Logged(at, "roster.user.tags-changed", admin,
                admin + "@example.com", "console, \"beta\"", "added tag \"a,b\" \\ {x}"), logged.get(1));
    }

    @Test
    void aDuplicateEmailFailsTheChunkWithAUniqueViolation() {
        UUID org = Fixtures.org(DB.pool());
        Instant at = Instant.now();
        Users.NewUser one = new Users.NewUser(UUID.randomUUID(), org, "twice@copy.example", "A", "B", Role.User,
                null, List.of(), null, at, null, null, "test");
        Tx.run(DB.pool(), c -> {
            Users.insertInvited(c, List.of(one), UUID::randomUUID);
            return null;
        });
        Tx.DataAccessException thrown = assertThrows(Tx.DataAccessException.class, () -> Tx.run(DB.pool(), c -> {
            Users.insertInvited(c, List.of(new Users.NewUser(UUID.randomUUID(), org, "twice@copy.example", "C", "D",
                    Role.User, null, List.of(), null, at, null, null, "test")), UUID::randomUUID);
            return null;
        }));
        assertEquals("23505", thrown.sqlState());
    }
}

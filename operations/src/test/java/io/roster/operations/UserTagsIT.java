package io.roster.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roster.contracts.event.UserSnapshot;
import io.roster.contracts.user.Role;
import io.roster.persistence.Tx;
import io.roster.persistence.UserChunks;
import io.roster.persistence.Users;
import io.roster.testsupport.Sql;
import io.roster.testsupport.TestDatabase;
import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A user's tags live in a row of their own (V24): a tag writes that row and not the users row; the database keeps one
 * such row per user, following the user's organization and status; and whichever of a tag and another change of the
 * same user commits second publishes both (the users row's lock, then the tags row's, against the tags row's alone).
 */
class UserTagsIT {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase("usertags");

    @Test
    void aTagWritesTheTagsRowAndLeavesTheUsersRowAsItWas() {
        UUID org = Fixtures.org(DB.pool());
        UUID admin = Fixtures.user(DB.pool(), Role.Admin, org);
        UUID user = Fixtures.user(DB.pool(), Role.User, org);
        Sql.execute(DB.pool(), "INSERT INTO org_tags (org_id, name) VALUES ('" + org + "', 'vip')");
        String version = Sql.text(DB.pool(), "SELECT xmin::text FROM users WHERE id = '" + user + "'");
        UserSnapshot before = Tx.run(DB.pool(), c -> Users.find(c, user));

        ChunkResult result = Tx.run(DB.pool(), c -> TagUsers.apply(c, org, List.of(user), 1, "vip", false,
                new Actor(admin, UUID.randomUUID(), "test")));

        assertEquals(1, result.succeeded(), result.errors().toString());
        assertEquals(version, Sql.text(DB.pool(), "SELECT xmin::text FROM users WHERE id = '" + user + "'"),
                "no new version of the users row");
        UserSnapshot after = Tx.run(DB.pool(), c -> Users.find(c, user));
        assertEquals(List.of("vip"), after.tags());
        assertTrue(after.updatedAt().isAfter(before.updatedAt()), "a snapshot is as new as its tags");
        assertEquals(1, Sql.count(DB.pool(), "SELECT count(*) FROM user_tags WHERE org_id = '" + org
                + "' AND tags @> ARRAY['vip']"));
    }

    @Test
    void everyUserHasOneTagsRowThatFollowsTheirOrganizationAndStatusAndGoesWithThem() {
        UUID org = Fixtures.org(DB.pool());
        UUID other = Fixtures.org(DB.pool());
        UUID invited = UUID.randomUUID();
        Tx.run(DB.pool(), c -> {
            Users.insertInvited(c, List.of(new Users.NewUser(invited, org, invited + "@example.com", "In", "Vited",
                    Role.User, null, List.of("a", "b"), null, Instant.now().truncatedTo(ChronoUnit.MICROS), null, null,
                    "test")), UUID::randomUUID);
            return null;
        });
        UUID raw = UUID.randomUUID();
        Sql.execute(DB.pool(), "INSERT INTO users (id, org_id, email, first_name, last_name, role) VALUES ('" + raw
                + "', '" + org + "', 'raw@example.com', 'R', 'W', 'User')");
        assertEquals("a,b|" + org + "|pending", tagsRow(invited), "an invitation writes its tags row, once");
        assertEquals("|" + org + "|pending", tagsRow(raw), "any other insert gets an untagged one");

        Sql.execute(DB.pool(), "UPDATE users SET status = 'active' WHERE id = '" + raw + "'");
        assertEquals("|" + org + "|active", tagsRow(raw));
        Tx.run(DB.pool(), c -> UserChunks.move(c, List.of(invited), other, Role.Staff));
        assertEquals("|" + other + "|pending", tagsRow(invited), "a transfer drops the tags and moves the row");

        Sql.execute(DB.pool(), "DELETE FROM users WHERE id IN ('" + raw + "', '" + invited + "')");
        assertNull(tagsRow(raw));
        assertNull(tagsRow(invited));
    }

    @Test
    void whicheverOfATagAndAnEditCommitsSecondPublishesBoth() throws Exception {
        UUID org = Fixtures.org(DB.pool());
        UUID user = Fixtures.user(DB.pool(), Role.User, org);

        // the edit first: the tag waits for it, then reads the edited row
        try (Connection edit = open()) {
            Users.updateProfile(edit, user, "Edited", "Last", Role.User, null);
            CompletableFuture<List<UserSnapshot>> tag = CompletableFuture.supplyAsync(
                    () -> Tx.run(DB.pool(), c -> UserChunks.tag(c, List.of(user), "one", false)));
            assertWaits(tag);
            edit.commit();
            UserSnapshot tagged = tag.get(10, TimeUnit.SECONDS).get(0);
            assertEquals("Edited", tagged.firstName());
            assertEquals(List.of("one"), tagged.tags());
        }

        // the tag first: the edit waits for it, then reads the tags
        try (Connection tag = open()) {
            UserChunks.tag(tag, List.of(user), "two", false);
            CompletableFuture<UserSnapshot> edit = CompletableFuture.supplyAsync(
                    () -> Tx.run(DB.pool(), c -> Users.updateProfile(c, user, "Again", "Last", Role.User, null)));
            assertWaits(edit);
            tag.commit();
            UserSnapshot edited = edit.get(10, TimeUnit.SECONDS);
            assertEquals("Again", edited.firstName());
            assertEquals(List.of("one", "two"), edited.tags());
        }
    }

    private static void assertWaits(CompletableFuture<?> second) throws InterruptedException {
        Thread.sleep(500);
        assertFalse(second.isDone(), "the second writer waits for the first's commit");
    }

    private static Connection open() throws Exception {
        Connection c = DB.pool().getConnection();
        c.setAutoCommit(false);
        return c;
    }

    /** The user's tags row as "tags|org|status", or null when there is none. */
    private static String tagsRow(UUID user) {
        return Sql.text(DB.pool(), "SELECT array_to_string(tags, ',') || '|' || org_id || '|' || status FROM user_tags "
                + "WHERE user_id = '" + user + "' UNION ALL SELECT 'more than one' FROM user_tags WHERE user_id = '"
                + user + "' HAVING count(*) > 1");
    }
}

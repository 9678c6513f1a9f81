package io.roster.operations;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roster.contracts.user.Role;
import io.roster.persistence.Organizations;
import io.roster.persistence.Tx;
import io.roster.testsupport.Sql;
import io.roster.testsupport.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The last-admin rule under concurrency, on the real database: two steps that each take one of an organization's
 * two admins away (two chunks of one delete job on two workers; a transfer and a delete; two admins demoting each
 * other; an edit and a bulk delete) run in two transactions at once. The second is made to reach the rule while the first, which already removed its admin, has not committed:
 * it must wait for the organization's lock, then see the first's commit and refuse its row ({@code last_admin}).
 * Bug it catches: the rule checked without the organization lock (both see the other admin, both succeed, the
 * organization is left without an admin): the second then finishes without waiting, and the test fails there.
 */
class LastAdminRuleIT {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase("lastadminrule");

    /** One step: a chunk of a job, or a single edit, applied in the given (open) transaction. */
    interface Step<T> {
        T apply(Connection connection) throws SQLException;
    }

    @Test
    void twoChunksOfOneDeleteJobCannotRemoveBothAdmins() throws Exception {
        UUID org = Fixtures.org(DB.pool());
        UUID a = Fixtures.user(DB.pool(), Role.Admin, org);
        UUID b = Fixtures.user(DB.pool(), Role.Admin, org);
        Actor actor = new Actor(Fixtures.user(DB.pool(), Role.Admin, Fixtures.org(DB.pool())),
                UUID.randomUUID(), "test");
        var results = race(
                c -> DeleteUsers.apply(c, org, List.of(a), 1, actor, Instant.now()),
                c -> DeleteUsers.apply(c, org, List.of(b), 2, actor, Instant.now()));
        assertEquals(1, results.getKey().succeeded());
        ChunkResult second = (ChunkResult) results.getValue();
        assertEquals(0, second.succeeded());
        assertEquals("last_admin", second.errors().get(0).code());
        assertEquals(2, second.errors().get(0).rowNo());
        assertEquals(1, admins(org));
    }

    @Test
    void aDeleteAndATransferAtOnceLeaveTheOrganizationAnAdmin() throws Exception {
        UUID org = Fixtures.org(DB.pool());
        UUID a = Fixtures.user(DB.pool(), Role.Admin, org);
        UUID b = Fixtures.user(DB.pool(), Role.Admin, org);
        UUID destinationId = Fixtures.org(DB.pool());
        UUID destinationAdmin = Fixtures.user(DB.pool(), Role.Admin, destinationId);
        Organizations.Org destination = Tx.run(DB.pool(), c -> Organizations.find(c, destinationId)).orElseThrow();
        Actor actor = new Actor(Fixtures.user(DB.pool(), Role.Admin, Fixtures.org(DB.pool())),
                UUID.randomUUID(), "test");
        var results = race(
                c -> TransferUsers.apply(c, org, List.of(a), 1, destination, destinationAdmin, Role.Staff, actor),
                c -> DeleteUsers.apply(c, org, List.of(b), 1, actor, Instant.now()));
        assertEquals(1, results.getKey().succeeded(), "the transfer went first");
        assertEquals("last_admin", ((ChunkResult) results.getValue()).errors().get(0).code());
        assertEquals(1, admins(org));
        assertEquals(1, Sql.count(DB.pool(), "SELECT count(*) FROM users WHERE id = '" + a + "' AND org_id = '"
                + destinationId + "'"), "the transferred admin arrived");
    }

    @Test
    void twoAdminsDemotingEachOtherAtOnceLeaveOne() throws Exception {
        UUID org = Fixtures.org(DB.pool());
        UUID a = Fixtures.user(DB.pool(), Role.Admin, org);
        UUID b = Fixtures.user(DB.pool(), Role.Admin, org);
        var results = race(
                c -> EditProfile.apply(c, b, demotion(), new Actor(a, null, "test"), Role.Admin),
                c -> EditProfile.apply(c, a, demotion(), new Actor(b, null, "test"), Role.Admin));
        assertEquals(Role.Staff, results.getKey().role());
        Refusal refused = (Refusal) results.getValue();
        assertEquals("last-admin", refused.code());
        assertEquals("role", refused.field());
        assertEquals(1, admins(org));
    }

    @Test
    void anEditAndABulkDeleteAtOnceLeaveTheOrganizationAnAdmin() throws Exception {
        UUID org = Fixtures.org(DB.pool());
        UUID a = Fixtures.user(DB.pool(), Role.Admin, org);
        UUID b = Fixtures.user(DB.pool(), Role.Admin, org);
        Actor actor = new Actor(Fixtures.user(DB.pool(), Role.Admin, Fixtures.org(DB.pool())), UUID.randomUUID(),
                "test");
        var results = race(
                c -> EditProfile.apply(c, a, demotion(), actor, Role.Admin),
                c -> DeleteUsers.apply(c, org, List.of(b), 1, actor, Instant.now()));
        assertEquals(Role.Staff, results.getKey().role());
        assertEquals("last_admin", ((ChunkResult) results.getValue()).errors().get(0).code());
        assertEquals(1, admins(org));
    }

    private static EditProfile.Changes demotion() {
        return new EditProfile.Changes(java.util.Set.of("role"), null, null, null, Role.Staff);
    }

    /**
     * Applies {@code first} in one transaction; then {@code second} in another, awaited until it waits on a lock;
     * then commits the first, and the second when it is done.
     */
    private static <A, B> Map.Entry<A, Object> race(Step<A> first, Step<B> second) throws Exception {
        try (Connection one = DB.pool().getConnection(); Connection two = DB.pool().getConnection()) {
            one.setAutoCommit(false);
            two.setAutoCommit(false);
            A firstResult = first.apply(one);
            int pid = backendPid(two);
            CompletableFuture<Object> secondResult = CompletableFuture.supplyAsync(() -> {
                try {
                    return second.apply(two);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                } catch (Refusal refusal) {
                    return refusal;
                }
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> secondResult.isDone() || Sql.count(DB.pool(),
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid = " + pid) == 1);
            assertEquals(false, secondResult.isDone(), "the second chunk waits for the first's organization lock");
            one.commit();
            Object result = secondResult.get(30, TimeUnit.SECONDS);
            two.commit();
            return Map.entry(firstResult, result);
        }
    }

    private static int backendPid(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_backend_pid()");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static long admins(UUID org) {
        return Sql.count(DB.pool(), "SELECT count(*) FROM users WHERE role = 'Admin' AND org_id = '" + org + "'");
    }
}

package io.roster.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roster.contracts.job.JobState;
import io.roster.contracts.job.JobType;
import io.roster.contracts.user.Role;
import io.roster.persistence.Jobs;
import io.roster.persistence.Organizations;
import io.roster.persistence.Tx;
import io.roster.persistence.Users;
import io.roster.persistence.repositories.JobRepository;
import io.roster.persistence.repositories.LoginFailure;
import io.roster.persistence.repositories.LoginFailureRepository;
import io.roster.persistence.repositories.ManagedTx;
import io.roster.persistence.repositories.OrgTag;
import io.roster.persistence.repositories.OrgTagRepository;
import io.roster.persistence.repositories.RolePermission;
import io.roster.persistence.repositories.RolePermissionRepository;
import io.roster.persistence.repositories.SessionRepository;
import io.roster.persistence.repositories.SessionRow;
import io.roster.testsupport.TestEnv;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Micronaut Data repositories of persistence, in the gateway's own application context over real PostgreSQL:
 * each maps its table, and a repository called inside {@link ManagedTx#run} joins that transaction together with the
 * hand-written SQL on its connection (committed together, rolled back together).
 */
class RepositoriesIT {

    static final String ADMIN = "root@repositories.example";

    static TestEnv env;
    static Gateway gateway;
    static ManagedTx tx;

    @BeforeAll
    static void start() {
        env = TestEnv.create("repositories");
        gateway = Gateway.start(env.env(Map.of("ROSTER_HTTP_PORT", "0", "ROSTER_ADMIN_EMAIL", ADMIN,
                "ROSTER_ADMIN_PASSWORD", "a long enough password")));
        tx = bean(ManagedTx.class);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    static <T> T bean(Class<T> type) {
        return gateway.context().getBean(type);
    }

    static UUID newOrg() {
        return tx.run(c -> Organizations.insertRoot(c, UUID.randomUUID(), "Repositories " + UUID.randomUUID()).id());
    }

    @Test
    void aRepositoryJoinsTheTransactionOfTheHandWrittenSql() {
        OrgTagRepository tags = bean(OrgTagRepository.class);
        UUID committed = UUID.randomUUID();
        // the tag's row references an organization inserted a statement earlier on the transaction's connection:
        // on any other connection the foreign key would not find it
        tx.run(c -> {
            Organizations.insertRoot(c, committed, "Joined");
            tags.save(OrgTag.of(committed, "vip"));
            assertTrue(tags.existsById(new OrgTag.Key(committed, "vip")));
            return null;
        });
        assertTrue(tags.existsById(new OrgTag.Key(committed, "vip")));

        UUID rolledBack = UUID.randomUUID();
        assertThrows(IllegalStateException.class, () -> tx.run(c -> {
            Organizations.insertRoot(c, rolledBack, "Rolled back");
            tags.save(OrgTag.of(rolledBack, "vip"));
            throw new IllegalStateException("the work fails after both writes");
        }));
        assertFalse(tags.existsById(new OrgTag.Key(rolledBack, "vip")));
        assertTrue(tx.run(c -> Organizations.find(c, rolledBack)).isEmpty());
    }

    @Test
    void aDatabaseFailureInsideIsTheDataAccessExceptionWithItsSqlState() {
        OrgTagRepository tags = bean(OrgTagRepository.class);
        UUID org = newOrg();
        tags.save(OrgTag.of(org, "twice"));
        Tx.DataAccessException e = assertThrows(Tx.DataAccessException.class, () -> tx.run(c -> {
            try (var ps = c.prepareStatement("INSERT INTO org_tags (org_id, name) VALUES (?, 'twice')")) {
                ps.setObject(1, org);
                return ps.executeUpdate();
            }
        }));
        assertEquals("23505", e.sqlState());
    }

    @Test
    void tags() {
        OrgTagRepository tags = bean(OrgTagRepository.class);
        UUID org = newOrg();
        UUID other = newOrg();
        for (String name : List.of("vip", "beta", "Zulu")) {
            tags.save(OrgTag.of(org, name));
        }
        tags.save(OrgTag.of(other, "alpha"));
        assertEquals(List.of("Zulu", "beta", "vip"),
                tags.findByIdOrgIdOrderByIdName(org).stream().map(t -> t.id().name()).toList());
        assertEquals(3, tags.countByIdOrgId(org));
        assertTrue(tags.existsById(new OrgTag.Key(org, "beta")));
        assertFalse(tags.existsById(new OrgTag.Key(org, "alpha")));
        assertEquals(0, tags.carriers(org, "vip"));
        assertEquals(1, tags.deleteById(new OrgTag.Key(org, "beta")));
        assertEquals(0, tags.deleteById(new OrgTag.Key(org, "beta")));
        assertEquals(2, tags.countByIdOrgId(org));
        assertEquals(1, tags.countByIdOrgId(other));
    }

    @Test
    void carriersCountsTheUsersOfTheOrganizationWithTheTag() {
        OrgTagRepository tags = bean(OrgTagRepository.class);
        UUID root = tx.run(c -> Users.account(c, ADMIN)).orgId();
        tx.run(c -> {
            try (var ps = c.prepareStatement("UPDATE user_tags SET tags = ARRAY['carried'] "
                    + "WHERE user_id = (SELECT id FROM users WHERE email = ?)")) {
                ps.setString(1, ADMIN);
                return ps.executeUpdate();
            }
        });
        assertEquals(1, tags.carriers(root, "carried"));
        assertEquals(0, tags.carriers(root, "carrie"));
    }

    @Test
    void rolePermissions() {
        RolePermissionRepository permissions = bean(RolePermissionRepository.class);
        UUID org = newOrg();
        RolePermission.Key staff = new RolePermission.Key(org, "Staff");
        assertFalse(permissions.existsById(staff));
        permissions.save(new RolePermission(staff, new String[] {"users.read", "users.invite"}));
        permissions.update(new RolePermission(staff, new String[] {"users.read"}));
        List<RolePermission> rows = permissions.findByIdOrgId(org);
        assertEquals(1, rows.size());
        assertEquals("Staff", rows.get(0).id().role());
        assertArrayEquals(new String[] {"users.read"}, rows.get(0).permissions());
        assertTrue(permissions.findByIdOrgId(newOrg()).isEmpty());
    }

    @Test
    void sessions() {
        SessionRepository sessions = bean(SessionRepository.class);
        Users.Account admin = tx.run(c -> Users.account(c, ADMIN));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        byte[] live = {1, 2, 3};
        byte[] expired = {4, 5, 6};
        sessions.save(new SessionRow(live, admin.id(), "curl/8", null, now.plusSeconds(60)));
        sessions.save(new SessionRow(expired, admin.id(), null, null, now.minusSeconds(1)));
        SessionRepository.Holder holder = sessions.live(live, now).orElseThrow();
        assertEquals(new SessionRepository.Holder(admin.id(), admin.orgId(), Role.Admin, ADMIN), holder);
        assertTrue(sessions.live(expired, now).isEmpty());
        assertTrue(sessions.live(new byte[] {9}, now).isEmpty());
        sessions.deleteById(live);
        assertTrue(sessions.live(live, now).isEmpty());
    }

    @Test
    void loginFailures() {
        LoginFailureRepository failures = bean(LoginFailureRepository.class);
        String email = "failing-" + UUID.randomUUID() + "@example.com";
        Instant before = Instant.now().minusSeconds(1);
        LoginFailureRepository.Recent none = failures.recent(email, before, 3);
        assertEquals(0, none.count());
        assertNull(none.oldest());
        for (int i = 0; i < 5; i++) {
            failures.save(LoginFailure.of(email));
        }
        failures.save(LoginFailure.of("someone-else@example.com"));
        LoginFailureRepository.Recent recent = failures.recent(email, before, 3);
        assertEquals(3, recent.count(), "at most the limit asked");
        assertTrue(recent.oldest().isAfter(before));
        assertEquals(0, failures.recent(email, Instant.now().plusSeconds(1), 3).count());
        assertEquals(1L, (long) tx.run(c -> failures.lock(email)), "the lock is taken inside a transaction");
        failures.deleteByEmail(email);
        assertEquals(0, failures.recent(email, before, 3).count());
        assertEquals(1, failures.recent("someone-else@example.com", before, 3).count());
    }

    @Test
    void jobReads() {
        JobRepository jobs = bean(JobRepository.class);
        UUID org = newOrg();
        UUID other = newOrg();
        UUID invite = UUID.randomUUID();
        UUID tag = UUID.randomUUID();
        UUID export = UUID.randomUUID();
        UUID elsewhere = UUID.randomUUID();
        UUID by = tx.run(c -> Users.account(c, ADMIN)).id();
        tx.run(c -> {
            Jobs.insert(c, invite, org, JobType.invite, 3, 1, by, "key-1", new byte[] {7});
            Jobs.insert(c, tag, org, JobType.tag, 0, Jobs.CHUNKS_UNKNOWN, by, null, null);
            Jobs.insert(c, export, org, JobType.export, 0, 1, by, null, null);
            Jobs.insert(c, elsewhere, other, JobType.invite, 0, 1, by, null, null);
            // created_at decides the order; the ids break ties
            try (var ps = c.prepareStatement("UPDATE jobs SET created_at = now() - make_interval(secs => ?) "
                    + "WHERE id = ?")) {
                for (Object[] age : new Object[][] {{3, invite}, {2, tag}, {1, export}}) {
                    ps.setInt(1, (Integer) age[0]);
                    ps.setObject(2, age[1]);
                    ps.executeUpdate();
                }
            }
            Jobs.addErrors(c, invite, List.of(new Jobs.RowError(3, "email", "invalid", "is not an email"),
                    new Jobs.RowError(1, null, "duplicate", "appears twice"),
                    new Jobs.RowError(2, "role", "invalid", "is not a role")));
            return null;
        });

        Jobs.Job job = jobs.findById(invite).orElseThrow();
        assertEquals(org, job.orgId());
        assertEquals(JobType.invite, job.type());
        assertEquals(JobState.queued, job.state());
        assertEquals(3, job.total());
        assertEquals("key-1", job.idempotencyKey());
        assertArrayEquals(new byte[] {7}, job.requestHash());
        assertNull(job.submittedAt());
        assertEquals(Jobs.CHUNKS_UNKNOWN, jobs.findById(tag).orElseThrow().chunkCount());
        assertTrue(jobs.findById(UUID.randomUUID()).isEmpty());

        assertEquals(invite, jobs.findByOrgIdAndIdempotencyKey(org, "key-1").orElseThrow().id());
        assertTrue(jobs.findByOrgIdAndIdempotencyKey(other, "key-1").isEmpty());
        assertEquals(3, jobs.countByOrgIdAndStateInList(org, List.of(JobState.queued, JobState.running)));
        assertEquals(0, jobs.countByOrgIdAndStateInList(org, List.of(JobState.running)));

        List<String> all = List.of("invite", "tag", "export");
        assertEquals(List.of(export, tag, invite), ids(jobs.newest(org, all, 10)));
        assertEquals(List.of(export, tag), ids(jobs.newest(org, all, 2)));
        assertEquals(List.of(tag, invite), ids(jobs.after(org, all, export, 10)));
        assertEquals(List.of(invite), ids(jobs.newest(org, List.of("invite"), 10)));
        assertTrue(jobs.after(org, all, elsewhere, 10).isEmpty(), "another tenant's job is no cursor");

        List<JobRepository.ErrorRow> first = jobs.errors(invite, 0, 0, 2);
        assertEquals(List.of(1, 2), first.stream().map(JobRepository.ErrorRow::rowNo).toList());
        assertNull(first.get(0).field());
        assertEquals(new Jobs.RowError(2, "role", "invalid", "is not a role"), first.get(1).error());
        JobRepository.ErrorRow last = first.get(1);
        assertEquals(List.of(3), jobs.errors(invite, last.rowNo(), last.id(), 2).stream()
                .map(JobRepository.ErrorRow::rowNo).toList());
    }

    static List<UUID> ids(List<Jobs.Job> jobs) {
        return jobs.stream().map(Jobs.Job::id).toList();
    }
}

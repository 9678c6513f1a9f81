package io.roster.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.roster.testsupport.ApiClient;
import io.roster.testsupport.TestEnv;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Authorization holes, tried as an attacker would, against the packaged launcher in its own process: the role
 * ceiling on every path that sets a role, the last-admin rule under concurrent demotions, the login lockout under
 * concurrent wrong passwords, the jobs cursor as an existence oracle, a tag put on a user whose organization does
 * not define it.
 */
class AuthorizationIT {

    static final String ADMIN = "authz-admin@example.com";
    static final String PASSWORD = "authz admin password";
    static final String USER_PASSWORD = "a long user password";

    static PackagedRoster roster;
    static ApiClient anonymous;
    static ApiClient admin;
    static String root;

    @BeforeAll
    static void start() {
        TestEnv test = TestEnv.create("authz");
        roster = PackagedRoster.start(test.env(Map.of("ROSTER_ADMIN_EMAIL", ADMIN, "ROSTER_ADMIN_PASSWORD", PASSWORD,
                "ROSTER_LOGIN_FAILURES", "10")));
        PackagedRoster.Admin first = roster.login(ADMIN, PASSWORD);
        anonymous = first.anonymous();
        admin = first.client();
        root = first.orgId();
    }

    @AfterAll
    static void stop() {
        roster.close();
    }

    @Test
    void staffCannotInviteAnAdminByJsonOrCsv() {
        String org = subOrg("ceiling");
        ApiClient staff = member(org, "staff-" + UUID.randomUUID() + "@example.com", "Staff");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        ApiClient.Response json = staff.post("/api/v1/orgs/" + org + "/jobs/invite", Map.of("users", List.of(
                Map.of("email", "boss-" + suffix + "@example.com", "firstName", "Boss", "role", "Admin"),
                Map.of("email", "peer-" + suffix + "@example.com", "firstName", "Peer", "role", "Staff"))), Map.of());
        assertEquals(202, json.status(), json.body());
        JsonNode jsonJob = InviteFlowIT.awaitFinished(staff, json.header("Location"));
        assertEquals(1, jsonJob.get("failed").asInt(), jsonJob.toString());
        assertEquals("role_not_allowed", rowErrors(staff, json.header("Location")).get(0).get("code").asText());

        ApiClient.Response csv = staff.postRaw("/api/v1/orgs/" + org + "/jobs/invite", "text/csv",
                "email,firstName,role\ncsv-boss-" + suffix + "@example.com,Csv,admin\n", Map.of());
        assertEquals(202, csv.status(), csv.body());
        InviteFlowIT.awaitFinished(staff, csv.header("Location"));
        JsonNode errors = rowErrors(staff, csv.header("Location"));
        assertEquals(1, errors.size(), errors.toString());
        assertEquals("role", errors.get(0).get("field").asText());
        assertEquals("role_not_allowed", errors.get(0).get("code").asText());

        JsonNode admins = admin.get("/api/v1/orgs/" + org + "/users?role=Admin").json().get("items");
        assertEquals(0, admins.size(), "no admin was made by staff: " + admins);
        JsonNode staffs = admin.get("/api/v1/orgs/" + org + "/users?role=Staff").json().get("items");
        assertEquals(2, staffs.size(), "staff may give their own role: " + staffs);
    }

    @Test
    void twoAdminsDemotingEachOtherAtOnceLeaveTheOrganizationAnAdmin() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 6; round++) {
                String org = subOrg("demote-" + round);
                String firstEmail = "first-" + UUID.randomUUID() + "@example.com";
                String secondEmail = "second-" + UUID.randomUUID() + "@example.com";
                ApiClient first = member(org, firstEmail, "Admin");
                ApiClient second = member(org, secondEmail, "Admin");
                String firstId = userId(org, firstEmail);
                String secondId = userId(org, secondEmail);
                CountDownLatch go = new CountDownLatch(1);
                Future<Integer> a = pool.submit(demote(first, secondId, go));
                Future<Integer> b = pool.submit(demote(second, firstId, go));
                go.countDown();
                List<Integer> statuses = List.of(a.get(), b.get());
                // one wins; the other is refused as the last admin (422), or, when the winner committed before
                // the loser's request was authorized, as no longer an admin at all (403)
                assertEquals(1, statuses.stream().filter(s -> s == 200).count(), "round " + round + ": " + statuses);
                assertTrue(statuses.contains(422) || statuses.contains(403), "round " + round + ": " + statuses);
                assertEquals(1, admin.get("/api/v1/orgs/" + org + "/users?role=Admin").json().get("items").size());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentWrongPasswordsAreCountedBeforeTheyAreChecked() throws Exception {
        String email = "locked-" + UUID.randomUUID() + "@example.com";
        member(subOrg("lockout"), email, "User");
        ExecutorService pool = Executors.newFixedThreadPool(30);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> attempts = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                attempts.add(pool.submit(() -> {
                    go.await();
                    return anonymous.post("/api/v1/auth/login", Map.of("email", email, "password",
                            "wrong password " + UUID.randomUUID()), Map.of()).status();
                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> attempt : attempts) {
                statuses.add(attempt.get());
            }
            assertEquals(10, statuses.stream().filter(s -> s == 401).count(), "only the limit is evaluated: "
                    + statuses);
            assertEquals(20, statuses.stream().filter(s -> s == 429).count(), statuses.toString());
            assertEquals(429, anonymous.post("/api/v1/auth/login", Map.of("email", email, "password",
                    USER_PASSWORD), Map.of()).status(), "the right password waits too");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anotherTenantsJobIdAsACursorAnswersAsARandomIdDoes() {
        String mine = subOrg("cursor-mine");
        String theirs = subOrg("cursor-theirs");
        ApiClient neighbour = member(mine, "neighbour-" + UUID.randomUUID() + "@example.com", "Admin");
        admin.post("/api/v1/orgs/" + mine + "/jobs/invite", Map.of("users", List.of(Map.of("email",
                "mine-" + UUID.randomUUID() + "@example.com", "firstName", "Mine"))), Map.of());
        String theirJob = admin.post("/api/v1/orgs/" + theirs + "/jobs/invite", Map.of("users", List.of(Map.of(
                "email", "theirs-" + UUID.randomUUID() + "@example.com", "firstName", "Theirs"))), Map.of())
                .json().get("id").asText();
        ApiClient.Response withTheirs = neighbour.get("/api/v1/orgs/" + mine + "/jobs?cursor=" + theirJob);
        ApiClient.Response withRandom = neighbour.get("/api/v1/orgs/" + mine + "/jobs?cursor=" + UUID.randomUUID());
        assertEquals(withRandom.status(), withTheirs.status());
        assertEquals(withRandom.body(), withTheirs.body());
    }

    @Test
    void aTagIsNotPutOnAUserWhoseOrganizationDoesNotDefineIt() {
        String tag = "vip-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, admin.post("/api/v1/orgs/" + root + "/tags", Map.of("name", tag), Map.of()).status());
        String child = subOrg("tags");
        String email = "tagged-" + UUID.randomUUID() + "@example.com";
        member(child, email, "User");
        String childUser = userId(child, email);
        ApiClient.Response job = admin.post("/api/v1/orgs/" + root + "/jobs/tag",
                Map.of("userIds", List.of(childUser), "tag", tag), Map.of());
        assertEquals(202, job.status(), job.body());
        JsonNode done = InviteFlowIT.awaitFinished(admin, job.header("Location"));
        assertEquals("failed", done.get("state").asText(), done.toString());
        assertEquals("tag_not_defined", rowErrors(admin, job.header("Location")).get(0).get("code").asText());
        assertEquals(0, admin.get("/api/v1/users/" + childUser).json().get("tags").size());
        assertEquals(204, admin.send("DELETE", "/api/v1/orgs/" + root + "/tags/" + tag, null).status(),
                "no user carries the tag");
    }

    private static Callable<Integer> demote(ApiClient who, String userId, CountDownLatch go) {
        return () -> {
            go.await();
            return who.send("PATCH", "/api/v1/users/" + userId, "{\"role\":\"User\"}").status();
        };
    }

    static String subOrg(String name) {
        ApiClient.Response created = admin.post("/api/v1/orgs/" + root + "/sub-orgs",
                Map.of("name", name + " " + UUID.randomUUID().toString().substring(0, 8)), Map.of());
        assertEquals(201, created.status(), created.body());
        return created.json().get("id").asText();
    }

    /** A user of {@code org} with {@code role}, invited by the root admin, given a password, logged in. */
    static ApiClient member(String org, String email, String role) {
        ApiClient.Response invited = admin.post("/api/v1/orgs/" + org + "/jobs/invite", Map.of("users", List.of(
                Map.of("email", email, "firstName", "Member", "role", role))), Map.of());
        JsonNode job = InviteFlowIT.awaitFinished(admin, invited.header("Location"));
        assertEquals("succeeded", job.get("state").asText(), job.toString());
        ApiClient.Response set = admin.send("PUT", "/api/v1/users/" + userId(org, email) + "/password",
                "{\"password\":\"" + USER_PASSWORD + "\"}");
        assertEquals(204, set.status(), set.body());
        return anonymous.login(email, USER_PASSWORD);
    }

    static String userId(String org, String email) {
        JsonNode items = admin.get("/api/v1/orgs/" + org + "/users?q=" + email).json().get("items");
        assertEquals(1, items.size(), items.toString());
        return items.get(0).get("id").asText();
    }

    static JsonNode rowErrors(ApiClient who, String jobLocation) {
        return who.get(jobLocation + "/errors").json().get("items");
    }
}

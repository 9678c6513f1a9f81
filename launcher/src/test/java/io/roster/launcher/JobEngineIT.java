package io.roster.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.roster.contracts.job.JobType;
import io.roster.gateway.Gateway;
import io.roster.persistence.Database;
import io.roster.persistence.Jobs;
import io.roster.persistence.Tx;
import io.roster.platform.Settings;
import io.roster.testsupport.ApiClient;
import io.roster.testsupport.TestEnv;
import io.roster.workers.Workers;
import io.roster.workers.WorkersConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The job engine over the real broker and database: cancel, the jobs list, paged row errors, limits. */
class JobEngineIT {

    static List<Map<String, Object>> users(String prefix, int count, int badEvery) {
        List<Map<String, Object>> users = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String email = badEvery > 0 && i % badEvery == 0 ? "bad-" + i : prefix + i + "@jobs.example";
            users.add(Map.of("email", email, "firstName", "U" + i));
        }
        return users;
    }

    @Test
    void aCancelledJobSkipsTheChunksNotYetAppliedAndSaysHowMany() {
        TestEnv test = TestEnv.create("cancel");
        Map<String, String> env = new HashMap<>(InviteFlowIT.env(test));
        env.put("ROSTER_MAX_CONCURRENT_JOBS", "2");
        env.put("ROSTER_MAX_ROWS_PER_JOB", "10");
        try (Gateway gateway = Gateway.start(env)) {
            ApiClient admin = new ApiClient(gateway.uri()).login(InviteFlowIT.ADMIN, InviteFlowIT.PASSWORD);
            String org = InviteFlowIT.orgOf(admin);
            String invite = "/api/v1/orgs/" + org + "/jobs/invite";

            // no workers yet: the job waits on Kafka
            String location = admin.post(invite, Map.of("users", users("c", 6, 0)), Map.of()).header("Location");
            ApiClient.Response cancel = admin.send("DELETE", location, null);
            assertEquals(202, cancel.status(), cancel.body());
            assertTrue(cancel.json().get("cancelRequested").asBoolean());

            ApiClient.Response tooMany = admin.post(invite, Map.of("users", users("t", 11, 0)), Map.of());
            assertEquals(413, tooMany.status());
            assertEquals("rows", tooMany.json().at("/errors/0/field").asText());
            admin.post(invite, Map.of("users", users("second", 1, 0)), Map.of());
            ApiClient.Response third = admin.post(invite, Map.of("users", users("third", 1, 0)), Map.of());
            assertEquals(429, third.status(), "two jobs queued or running already");
            assertNotNull(third.header("Retry-After"));

            try (Workers workers = Workers.start(WorkersConfig.from(new Settings(env)))) {
                JsonNode job = InviteFlowIT.awaitFinished(admin, location);
                assertEquals("cancelled", job.get("state").asText());
                assertEquals(6, job.get("skipped").asInt());
                assertEquals(0, job.get("processed").asInt());
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        admin.get("/api/v1/orgs/" + org + "/jobs").json().get("items").findValuesAsText("state")
                                .stream().noneMatch(s -> s.equals("queued") || s.equals("running")));
            }
            assertEquals(List.of(InviteFlowIT.ADMIN, "second0@jobs.example"), admin.get("/api/v1/orgs/" + org
                    + "/users?sort=email").json().findValuesAsText("email"), "nothing of the cancelled job applied");
            assertEquals(409, admin.send("DELETE", location, null).status(), "a finished job cannot be cancelled");

            JsonNode list = admin.get("/api/v1/orgs/" + org + "/jobs?limit=1").json();
            assertEquals(1, list.get("items").size());
            String second = admin.get("/api/v1/orgs/" + org + "/jobs?limit=1&cursor=" + list.get("nextCursor").asText())
                    .json().get("items").get(0).get("id").asText();
            assertEquals(location, "/api/v1/jobs/" + second, "newest first: the cancelled job was the first");
        }
    }

    @Test
    void aJobWhoseUploadWasCutOffIsFailedWithTheReason() {
        TestEnv test = TestEnv.create("cutoff");
        Map<String, String> env = new HashMap<>(InviteFlowIT.env(test));
        env.put("ROSTER_SUBMISSION_TIMEOUT", "PT1S");
        try (PackagedRoster system = PackagedRoster.start(env); var pool = Database.pool(test.db(), "cutoff")) {
            ApiClient admin = new ApiClient(system.apiUri()).login(InviteFlowIT.ADMIN, InviteFlowIT.PASSWORD);
            UUID org = UUID.fromString(InviteFlowIT.orgOf(admin));
            // what a gateway that died mid-upload leaves: the job row, and chunks in a transaction never committed
            UUID job = UUID.randomUUID();
            Tx.run(pool, c -> {
                Jobs.insert(c, job, org, JobType.invite, 0, Jobs.CHUNKS_UNKNOWN, UUID.randomUUID(), null, null);
                return null;
            });
            JsonNode failed = InviteFlowIT.awaitFinished(admin, "/api/v1/jobs/" + job);
            assertEquals("failed", failed.get("state").asText());
            assertTrue(failed.get("failureReason").asText().contains("nothing was applied"), failed.toString());
        }
    }

    @Test
    void rowErrorsComeInPagesInRowOrder() {
        TestEnv test = TestEnv.create("errors");
        try (PackagedRoster system = PackagedRoster.start(InviteFlowIT.env(test))) {
            ApiClient admin = new ApiClient(system.apiUri()).login(InviteFlowIT.ADMIN, InviteFlowIT.PASSWORD);
            String org = InviteFlowIT.orgOf(admin);
            String location = admin.post("/api/v1/orgs/" + org + "/jobs/invite", Map.of("users", users("e", 25, 3)),
                    Map.of()).header("Location");
            JsonNode job = InviteFlowIT.awaitFinished(admin, location);
            assertEquals(9, job.get("failed").asInt());
            List<Integer> rows = new ArrayList<>();
            String cursor = null;
            do {
                JsonNode page = admin.get(location + "/errors?limit=4" + (cursor == null ? "" : "&cursor=" + cursor))
                        .json();
                page.get("items").forEach(e -> rows.add(e.get("row").asInt()));
                cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
            } while (cursor != null);
            assertEquals(List.of(1, 4, 7, 10, 13, 16, 19, 22, 25), rows);
            assertEquals(400, admin.get(location + "/errors?cursor=nonsense").status());
        }
    }
}

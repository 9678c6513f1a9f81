package io.roster.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.roster.contracts.event.UserChangeEvent;
import io.roster.contracts.event.UserInvited;
import io.roster.contracts.serde.Json;
import io.roster.testsupport.ApiClient;
import io.roster.testsupport.TestEnv;
import io.roster.testsupport.TopicReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The first flow end to end over the real broker and database: an invite through the HTTP API becomes a job, the
 * workers apply it once, the outbox relay publishes one event per user, the job and the users list show it; also
 * when the workers die between the database commit and the offset commit.
 */
class InviteFlowIT {

    static final String ADMIN = "flow-admin@example.com";
    static final String PASSWORD = "flow admin password";


    static Map<String, String> env(TestEnv test) {
        return test.env(Map.of("ROSTER_HTTP_PORT", "0", "ROSTER_WORKERS_HEALTH_PORT", "0",
                "ROSTER_STREAMS_HEALTH_PORT", "0", "ROSTER_ADMIN_EMAIL", ADMIN, "ROSTER_ADMIN_PASSWORD", PASSWORD,
                "ROSTER_CHUNK_SIZE", "2", "ROSTER_BULK_CHUNK_SIZE", "2", "ROSTER_WORKER_THREADS", "1",
                "ROSTER_STREAMS_STATE_DIR", System.getProperty("java.io.tmpdir") + "/roster-it-" + UUID.randomUUID()));
    }

    @Test
    void invitedUsersAreAppliedOnceAndPublishedOnce() {
        TestEnv test = TestEnv.create("flow");
        try (PackagedRoster system = PackagedRoster.start(env(test))) {
            ApiClient admin = new ApiClient(system.apiUri()).login(ADMIN, PASSWORD);
            String org = orgOf(admin);
            List<Map<String, Object>> users = List.of(
                    Map.of("email", "grace@example.com", "firstName", "Grace", "lastName", "Hopper", "role", "Admin"),
                    Map.of("email", "alan@example.com", "firstName", "Alan", "lastName", "Turing", "role", "Staff",
                            "location", "Manchester", "tags", List.of("research")),
                    Map.of("email", "not an email", "firstName", "Nobody"),
                    Map.of("email", "Grace@Example.com", "firstName", "Grace", "lastName", "Again"),
                    Map.of("email", "edsger@example.com", "firstName", "Edsger", "lastName", "Dijkstra"));

            ApiClient.Response accepted = admin.post("/api/v1/orgs/" + org + "/jobs/invite", Map.of("users", users),
                    Map.of());
            assertEquals(202, accepted.status(), accepted.body());
            String location = accepted.header("Location");

            JsonNode job = awaitFinished(admin, location);
            assertEquals("partially_succeeded", job.get("state").asText(), job.toString());
            assertEquals(5, job.get("total").asInt());
            assertEquals(5, job.get("processed").asInt());
            assertEquals(3, job.get("succeeded").asInt());
            assertEquals(2, job.get("failed").asInt());

            JsonNode errors = admin.get(location + "/errors").json().get("items");
            assertEquals(2, errors.size());
            assertEquals(3, errors.get(0).get("row").asInt());
            assertEquals("invalid_email", errors.get(0).get("code").asText());
            assertEquals(4, errors.get(1).get("row").asInt());
            assertEquals("duplicate_in_file", errors.get(1).get("code").asText());

            JsonNode list = admin.get("/api/v1/orgs/" + org + "/users").json().get("items");
            Map<String, JsonNode> byEmail = new HashMap<>();
            list.forEach(u -> byEmail.put(u.get("email").asText(), u));
            assertEquals(Set.of(ADMIN, "grace@example.com", "alan@example.com", "edsger@example.com"), byEmail.keySet());
            JsonNode alan = byEmail.get("alan@example.com");
            assertEquals("pending", alan.get("status").asText());
            assertEquals("Staff", alan.get("role").asText());
            assertEquals("Alan Turing", alan.get("name").asText());
            assertEquals("Manchester", alan.get("location").asText());
            assertEquals("research", alan.get("tags").get(0).asText());

            Map<UUID, List<UUID>> events = invitedEvents(test, 4);
            assertEquals(4, events.size(), "the admin and the three invited users");
            assertTrue(events.values().stream().allMatch(ids -> ids.size() == 1), "one record each, none re-sent: "
                    + events);
        }
    }

    @Test
    void aRunHaltedAfterTheCommitAndBeforeTheOffsetCommitAppliesNothingTwice() throws Exception {
        TestEnv test = TestEnv.create("crash");
        Map<String, String> crashing = new HashMap<>(env(test));
        // the packaged run halts (as kill -9 would) right after its first chunk's database commit
        crashing.put("ROSTER_FAULT_HALT_AFTER_CHUNKS", "invite:1");
        String location;
        String token;
        String org;
        try (PackagedRoster roster = PackagedRoster.start(crashing);
             var pool = io.roster.persistence.Database.pool(test.db(), "crash")) {
            ApiClient admin = new ApiClient(roster.apiUri()).login(ADMIN, PASSWORD);
            token = admin.token();
            org = orgOf(admin);
            List<Map<String, Object>> users = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                users.add(Map.of("email", "crash" + i + "@example.com", "firstName", "User" + i));
            }
            location = admin.post("/api/v1/orgs/" + org + "/jobs/invite", Map.of("users", users), Map.of())
                    .header("Location");
            await().atMost(Duration.ofSeconds(60)).until(() -> !roster.alive());
            assertTrue(roster.output().contains("ROSTER_FAULT_HALT_AFTER_CHUNKS: halting"), roster.output());
            String job = location.substring(location.lastIndexOf('/') + 1);
            assertEquals(2, io.roster.testsupport.Sql.count(pool, "SELECT processed FROM jobs WHERE id = '" + job
                    + "'"), "the first chunk was committed, then the process died");
            assertEquals(0, io.roster.testsupport.CommittedOffsets.sum(test.infra().bootstrapServers(),
                    io.roster.workers.Workers.GROUP_ID, test.topics().invites()), "the applied chunk's offset was never committed: it comes again");
        }
        try (PackagedRoster again = PackagedRoster.start(env(test))) {
            ApiClient admin = new ApiClient(again.apiUri()).withToken(token);
            JsonNode job = awaitFinished(admin, location);
            assertEquals("succeeded", job.get("state").asText());
            assertEquals(6, job.get("processed").asInt());
            assertEquals(6, job.get("succeeded").asInt());
            assertEquals(0, job.get("failed").asInt());
            assertEquals(7, admin.get("/api/v1/orgs/" + org + "/users").json().get("items").size());
            Map<UUID, List<UUID>> events = invitedEvents(test, 7);
            assertEquals(7, events.size());
            // across a crash the relay may re-send a record (at least once), always with the same event id
            assertTrue(events.values().stream().allMatch(ids -> new HashSet<>(ids).size() == 1),
                    "no second event id for one change: " + events);
        }
    }

    static String orgOf(ApiClient admin) {
        return admin.post("/api/v1/auth/login", Map.of("email", ADMIN, "password", PASSWORD), Map.of()).json()
                .at("/user/orgId").asText();
    }

    static JsonNode awaitFinished(ApiClient admin, String location) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            String state = admin.get(location).json().get("state").asText();
            return !state.equals("queued") && !state.equals("running");
        });
        return admin.get(location).json();
    }

    /** Event ids per invited user, once {@code users} distinct users have an invited event. */
    /** Per invited user, the event id of each record published about the invitation (a re-sent record twice). */
    static Map<UUID, List<UUID>> invitedEvents(TestEnv test, int users) {
        return invitedEvents(test.env(), test, users);
    }

    /** The same, on the broker that {@code env} names. */
    static Map<UUID, List<UUID>> invitedEvents(Map<String, String> env, TestEnv test, int users) {
        Map<UUID, List<UUID>> ids = new HashMap<>();
        try (TopicReader reader = new TopicReader(env.get("ROSTER_KAFKA_BOOTSTRAP_SERVERS"),
                test.topics().userChanges())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : reader.readToEnd()) {
                    UserChangeEvent event = Json.read(record.value(), UserChangeEvent.class);
                    if (!(event.data() instanceof UserInvited data)) {
                        continue; // logins in these tests also change statuses
                    }
                    assertEquals(record.key(), data.userId().toString());
                    ids.computeIfAbsent(data.userId(), u -> new ArrayList<>()).add(event.id());
                }
                return ids.size() >= users;
            });
        }
        return ids;
    }
}

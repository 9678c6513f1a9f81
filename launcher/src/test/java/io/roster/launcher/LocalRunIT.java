package io.roster.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roster.testsupport.ApiClient;
import io.roster.testsupport.ServedConfiguration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The README's run command as a user runs it: the packaged jar and its {@code lib/} in a process of their own, on
 * embedded defaults (its own real broker and PostgreSQL under ROSTER_DATA_DIR). It serves the gateway's own
 * configuration (the same answers the gateway's tests get), creates the first admin once, answers health on all
 * three apps, and keeps its data for the next run.
 */
class LocalRunIT {

    @Test
    void startsOnEmbeddedDefaultsServesItsConfigurationAndKeepsDataBetweenRuns() throws IOException {
        Path dataDir = Files.createTempDirectory("roster-local-");
        Map<String, String> env = Map.of("ROSTER_DATA_DIR", dataDir.toString(),
                "ROSTER_KAFKA_PORT", "0", "ROSTER_DB_PORT", "0", "ROSTER_ADMIN_EMAIL", "first@example.com",
                "ROSTER_ADMIN_PASSWORD", "first admin password");
        String org;
        try (PackagedRoster run = PackagedRoster.start(env)) {
            ApiClient anonymous = new ApiClient(run.apiUri());
            ApiClient admin = anonymous.login("first@example.com", "first admin password");
            org = anonymous.post("/api/v1/auth/login", Map.of("email", "first@example.com",
                    "password", "first admin password"), Map.of()).json().at("/user/orgId").asText();
            assertEquals(ServedConfiguration.EXPECTED, ServedConfiguration.probe(anonymous, admin, org),
                    "the shipped run answers as the gateway's own tests see it");
            String location = admin.post("/api/v1/orgs/" + org + "/jobs/invite",
                    Map.of("users", List.of(Map.of("email", "kept@example.com", "firstName", "Kept"))), Map.of())
                    .header("Location");
            InviteFlowIT.awaitFinished(admin, location);
            assertEquals(200, anonymous.get("/health").status());
            assertEquals(200, new ApiClient(run.workersHealthUri()).get("/health").status());
            assertEquals(200, new ApiClient(run.streamsHealthUri()).get("/health").status());
            assertTrue(run.output().contains("Roster is up."), run.output());

            // the operator's commands, run from the same jar beside it
            PackagedRoster.Command rebuild = run.admin("snapshots", "rebuild");
            assertEquals(0, rebuild.exitCode(), rebuild.output());
            assertTrue(rebuild.output().contains("queued the state of 2 users"), rebuild.output());
            assertTrue(rebuild.output().contains("published"), rebuild.output());
            PackagedRoster.Command letters = run.admin("dead-letters", "list");
            assertEquals(0, letters.exitCode(), letters.output());
            assertTrue(letters.output().contains("0 dead letter(s) in roster.dlq.v1"), letters.output());
            assertEquals(2, run.admin("dead-letters", "replay", "nonsense").exitCode());
        }
        try (PackagedRoster again = PackagedRoster.start(Map.of("ROSTER_DATA_DIR", dataDir.toString(),
                "ROSTER_KAFKA_PORT", "0", "ROSTER_DB_PORT", "0", "ROSTER_ADMIN_EMAIL", "other@example.com"))) {
            ApiClient admin = new ApiClient(again.apiUri()).login("first@example.com", "first admin password");
            var emails = admin.get("/api/v1/orgs/" + org + "/users").json().findValuesAsText("email");
            assertEquals(List.of("first@example.com", "kept@example.com"), emails,
                    "the data of the first run is kept and no second admin is created");
        }
    }

    /**
     * A run killed with SIGKILL in the middle of an import leaves its PostgreSQL running on the data directory; the
     * next start stops that orphan, starts its own, and finishes the import: every row once, one invited event per
     * user.
     */
    @Test
    void aRunKilledMidImportRecoversItsDatabaseAndFinishesTheImportExactlyOnce() throws Exception {
        Path dataDir = Files.createTempDirectory("roster-killed-");
        Map<String, String> env = Map.of("ROSTER_DATA_DIR", dataDir.toString(), "ROSTER_KAFKA_PORT", "0",
                "ROSTER_DB_PORT", "0", "ROSTER_ADMIN_EMAIL", "killed@example.com",
                "ROSTER_ADMIN_PASSWORD", "killed admin password");
        int rows = 20_000;
        StringBuilder csv = new StringBuilder("email,firstName\n");
        for (int i = 0; i < rows; i++) {
            csv.append("k").append(i).append("@killed.example,K").append(i).append('\n');
        }
        String location;
        String token;
        String org;
        PackagedRoster first = PackagedRoster.start(env);
        try {
            PackagedRoster.Admin admin = first.login("killed@example.com", "killed admin password");
            token = admin.client().token();
            org = admin.orgId();
            location = admin.client().postRaw("/api/v1/orgs/" + org + "/jobs/invite", "text/csv", csv.toString(),
                    Map.of()).header("Location");
            Awaitility.await().atMost(java.time.Duration.ofSeconds(120)).until(() ->
                    admin.client().get(location).json().get("processed").asInt() > 0);
        } finally {
            first.kill();
        }
        assertTrue(Files.exists(dataDir.resolve("postgres").resolve("postmaster.pid")),
                "the killed run left its PostgreSQL behind");
        try (PackagedRoster again = PackagedRoster.start(env)) {
            ApiClient admin = new ApiClient(again.apiUri()).withToken(token);
            Awaitility.await().atMost(java.time.Duration.ofSeconds(300))
                    .pollInterval(java.time.Duration.ofSeconds(1)).until(() -> {
                        String state = admin.get(location).json().get("state").asText();
                        return !state.equals("queued") && !state.equals("running");
                    });
            com.fasterxml.jackson.databind.JsonNode job = admin.get(location).json();
            assertEquals("succeeded", job.get("state").asText(), job.toString());
            assertEquals(rows, job.get("succeeded").asInt());
            assertTrue(again.output().contains("was left running"), "the orphan was found and stopped");
            java.util.Map<String, java.util.Set<String>> eventIds = new java.util.HashMap<>();
            try (io.roster.testsupport.TopicReader reader = new io.roster.testsupport.TopicReader(
                    again.bootstrapServers(), "roster.user-changes.v1")) {
                Awaitility.await().atMost(java.time.Duration.ofSeconds(120)).until(() -> {
                    for (var record : reader.readToEnd()) {
                        var event = io.roster.contracts.serde.Json.read(record.value(),
                                io.roster.contracts.event.UserChangeEvent.class);
                        if (event.data() instanceof io.roster.contracts.event.UserInvited invited) {
                            eventIds.computeIfAbsent(invited.userId().toString(), u -> new java.util.HashSet<>())
                                    .add(event.id().toString());
                        }
                    }
                    return eventIds.size() >= rows + 1;
                });
            }
            assertEquals(rows + 1, eventIds.size(), "the admin and every imported user");
            assertTrue(eventIds.values().stream().allMatch(ids -> ids.size() == 1), "one event id per user");
        }
    }
}

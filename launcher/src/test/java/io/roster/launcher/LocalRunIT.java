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
        }
        try (PackagedRoster again = PackagedRoster.start(Map.of("ROSTER_DATA_DIR", dataDir.toString(),
                "ROSTER_KAFKA_PORT", "0", "ROSTER_DB_PORT", "0", "ROSTER_ADMIN_EMAIL", "other@example.com"))) {
            ApiClient admin = new ApiClient(again.apiUri()).login("first@example.com", "first admin password");
            var emails = admin.get("/api/v1/orgs/" + org + "/users").json().findValuesAsText("email");
            assertEquals(List.of("first@example.com", "kept@example.com"), emails,
                    "the data of the first run is kept and no second admin is created");
        }
    }
}

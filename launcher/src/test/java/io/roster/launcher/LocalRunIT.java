package io.roster.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roster.testsupport.ApiClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The local run starts its own real broker and PostgreSQL under ROSTER_DATA_DIR, creates the first admin once,
 * answers health on all three apps, and keeps its data for the next run.
 */
class LocalRunIT {

    @Test
    void startsOnEmbeddedDefaultsAndKeepsDataBetweenRuns() throws IOException {
        Path dataDir = Files.createTempDirectory("roster-local-");
        Map<String, String> env = Map.of("ROSTER_DATA_DIR", dataDir.toString(), "ROSTER_HTTP_PORT", "0",
                "ROSTER_KAFKA_PORT", "0", "ROSTER_DB_PORT", "0", "ROSTER_WORKERS_HEALTH_PORT", "0",
                "ROSTER_STREAMS_HEALTH_PORT", "0", "ROSTER_ADMIN_EMAIL", "first@example.com",
                "ROSTER_ADMIN_PASSWORD", "first admin password");
        String org;
        try (LocalRun run = LocalRun.start(env)) {
            URI api = run.system().apiUri();
            ApiClient admin = new ApiClient(api).login("first@example.com", "first admin password");
            org = admin.post("/api/v1/auth/login", Map.of("email", "first@example.com",
                    "password", "first admin password"), Map.of()).json().at("/user/orgId").asText();
            String location = admin.post("/api/v1/orgs/" + org + "/jobs/invite",
                    Map.of("users", List.of(Map.of("email", "kept@example.com", "firstName", "Kept"))), Map.of())
                    .header("Location");
            InviteFlowIT.awaitFinished(admin, location);
            assertEquals(200, new ApiClient(api).get("/health").status());
            assertEquals(200, new ApiClient(URI.create("http://127.0.0.1:"
                    + run.system().workers().healthPort())).get("/health").status());
        }
        try (LocalRun again = LocalRun.start(Map.of("ROSTER_DATA_DIR", dataDir.toString(), "ROSTER_HTTP_PORT", "0",
                "ROSTER_KAFKA_PORT", "0", "ROSTER_DB_PORT", "0", "ROSTER_WORKERS_HEALTH_PORT", "0",
                "ROSTER_STREAMS_HEALTH_PORT", "0", "ROSTER_ADMIN_EMAIL", "other@example.com"))) {
            ApiClient admin = new ApiClient(again.system().apiUri()).login("first@example.com", "first admin password");
            var emails = admin.get("/api/v1/orgs/" + org + "/users").json().findValuesAsText("email");
            assertEquals(List.of("first@example.com", "kept@example.com"), emails,
                    "the data of the first run is kept and no second admin is created");
        }
    }
}

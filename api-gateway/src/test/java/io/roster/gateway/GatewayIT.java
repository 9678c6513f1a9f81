package io.roster.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.roster.contracts.event.LoginSucceeded;
import io.roster.contracts.job.InviteChunk;
import io.roster.contracts.job.JobCommand;
import io.roster.contracts.serde.Json;
import io.roster.persistence.Database;
import io.roster.persistence.Organizations;
import io.roster.persistence.Tx;
import io.roster.testsupport.ApiClient;
import io.roster.testsupport.Sql;
import io.roster.testsupport.TestEnv;
import io.roster.testsupport.TopicReader;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The gateway alone over a real broker and database: login, job submission, idempotency, problems, reach. */
class GatewayIT {

    static final String ADMIN = "root-admin@example.com";
    static final String PASSWORD = "correct horse battery";

    static TestEnv env;
    static Gateway gateway;
    static ApiClient anonymous;
    static ApiClient admin;
    static UUID rootOrg;

    @BeforeAll
    static void start() {
        env = TestEnv.create("gateway");
        gateway = Gateway.start(env.env(Map.of("ROSTER_HTTP_PORT", "0", "ROSTER_ADMIN_EMAIL", ADMIN,
                "ROSTER_ADMIN_PASSWORD", PASSWORD, "ROSTER_CHUNK_SIZE", "2")));
        anonymous = new ApiClient(gateway.uri());
        admin = anonymous.login(ADMIN, PASSWORD);
        rootOrg = UUID.fromString(anonymous.post("/api/v1/auth/login", Map.of("email", ADMIN, "password", PASSWORD),
                Map.of()).json().at("/user/orgId").asText());
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void servesItsOwnConfiguration() {
        // the packaged launcher's end-to-end test (LocalRunIT) holds the shipped run to the same answers
        assertEquals(io.roster.testsupport.ServedConfiguration.EXPECTED,
                io.roster.testsupport.ServedConfiguration.probe(anonymous, admin, rootOrg.toString()));
    }

    @Test
    void loginIssuesATokenAndPublishesALoginEvent() {
        ApiClient.Response response = anonymous.post("/api/v1/auth/login",
                Map.of("email", "  Root-Admin@Example.com ", "password", PASSWORD), Map.of());
        assertEquals(200, response.status(), response.body());
        JsonNode body = response.json();
        assertEquals(43, body.get("token").asText().length());
        assertEquals("Admin", body.at("/user/role").asText());
        UUID userId = UUID.fromString(body.at("/user/id").asText());
        try (TopicReader reader = new TopicReader(env.infra().bootstrapServers(), env.topics().logins())) {
            assertTrue(reader.awaitAtLeast(1, Duration.ofSeconds(30)).stream()
                    .map(r -> Json.read(r.value(), LoginSucceeded.class))
                    .anyMatch(e -> e.userId().equals(userId) && e.orgId().equals(rootOrg)));
        }
    }

    @Test
    void wrongCredentialsAndMissingTokensGetProblems() {
        ApiClient.Response wrongPassword = anonymous.post("/api/v1/auth/login",
                Map.of("email", ADMIN, "password", "nope nope nope"), Map.of());
        ApiClient.Response noSuchUser = anonymous.post("/api/v1/auth/login",
                Map.of("email", "nobody@example.com", "password", "nope nope nope"), Map.of());
        assertEquals(401, wrongPassword.status());
        assertEquals(wrongPassword.body(), noSuchUser.body(), "a failed login does not tell whether the email exists");
        assertEquals("application/problem+json", wrongPassword.header("Content-Type"));

        ApiClient.Response noToken = anonymous.get("/api/v1/orgs/" + rootOrg + "/users");
        assertEquals(401, noToken.status());
        assertEquals("/problems/unauthorized", noToken.json().get("type").asText());
        assertEquals(401, anonymous.withToken("forged").get("/api/v1/orgs/" + rootOrg + "/users").status());
    }

    @Test
    void anInviteIsAcceptedAsAJobAndItsChunksAreOnKafka() {
        List<Map<String, Object>> users = List.of(
                Map.of("email", "a@x.example", "firstName", "A", "lastName", "One", "role", "Staff"),
                Map.of("email", "b@x.example", "firstName", "B", "lastName", "Two", "role", "User"),
                Map.of("email", "c@x.example", "firstName", "C", "lastName", "Three", "role", "Admin"));
        ApiClient.Response response = admin.post("/api/v1/orgs/" + rootOrg + "/jobs/invite", Map.of("users", users),
                Map.of());
        assertEquals(202, response.status(), response.body());
        JsonNode job = response.json();
        assertEquals("/api/v1/jobs/" + job.get("id").asText(), response.header("Location"));
        assertEquals("queued", job.get("state").asText());
        assertEquals(3, job.get("total").asInt());

        UUID jobId = UUID.fromString(job.get("id").asText());
        try (TopicReader reader = new TopicReader(env.infra().bootstrapServers(), env.topics().invites())) {
            List<InviteChunk> chunks = reader.awaitAtLeast(2, Duration.ofSeconds(30)).stream()
                    .map(ConsumerRecord::value).map(v -> Json.read(v, JobCommand.class))
                    .filter(c -> c.jobId().equals(jobId)).map(InviteChunk.class::cast).toList();
            assertEquals(2, chunks.size(), "3 rows in chunks of 2");
            assertEquals(List.of(1, 2), chunks.stream().filter(c -> c.chunkNo() == 0).findFirst().orElseThrow()
                    .rows().stream().map(r -> r.rowNo()).toList());
        }
        JsonNode status = admin.get("/api/v1/jobs/" + jobId).json();
        assertEquals("invite", status.get("type").asText());
        assertEquals(0, status.get("processed").asInt(), "no worker runs in this test");
    }

    @Test
    void theSameIdempotencyKeyReturnsTheSameJobAndRefusesAnotherBody() {
        Map<String, Object> body = Map.of("users", List.of(Map.of("email", "idem@x.example", "firstName", "I")));
        Map<String, String> key = Map.of("Idempotency-Key", "key-" + UUID.randomUUID());
        ApiClient.Response first = admin.post("/api/v1/orgs/" + rootOrg + "/jobs/invite", body, key);
        ApiClient.Response again = admin.post("/api/v1/orgs/" + rootOrg + "/jobs/invite", body, key);
        assertEquals(202, first.status());
        assertEquals(202, again.status());
        assertEquals(first.json().get("id"), again.json().get("id"));
        long jobs = count("SELECT count(*) FROM jobs WHERE idempotency_key = '" + key.get("Idempotency-Key") + "'");
        assertEquals(1, jobs);

        ApiClient.Response other = admin.post("/api/v1/orgs/" + rootOrg + "/jobs/invite",
                Map.of("users", List.of(Map.of("email", "other@x.example", "firstName", "O"))), key);
        assertEquals(422, other.status());
        assertEquals("Idempotency-Key", other.json().at("/errors/0/field").asText());
    }

    @Test
    void badRequestsGetAProblemWithTheFieldAndChangeNothing() {
        long before = count("SELECT count(*) FROM jobs");
        ApiClient.Response malformed = admin.postRaw("/api/v1/orgs/" + rootOrg + "/jobs/invite", "application/json",
                "{\"users\": [", Map.of());
        assertEquals(400, malformed.status(), malformed.body());
        assertEquals("application/problem+json", malformed.header("Content-Type"));

        ApiClient.Response empty = admin.post("/api/v1/orgs/" + rootOrg + "/jobs/invite", Map.of("users", List.of()),
                Map.of());
        assertEquals(400, empty.status(), empty.body());
        assertEquals("users", empty.json().at("/errors/0/field").asText(), empty.body());

        ApiClient.Response badLimit = admin.get("/api/v1/orgs/" + rootOrg + "/users?limit=0");
        assertEquals(400, badLimit.status(), badLimit.body());
        assertEquals(before, count("SELECT count(*) FROM jobs"));
    }

    @Test
    void anotherOrganizationIsNotFound() {
        UUID other = UUID.randomUUID();
        try (var pool = Database.pool(env.db(), "test")) {
            Tx.run(pool, c -> Organizations.insertRoot(c, other, "Elsewhere"));
        }
        ApiClient.Response list = admin.get("/api/v1/orgs/" + other + "/users");
        assertEquals(404, list.status());
        ApiClient.Response invite = admin.post("/api/v1/orgs/" + other + "/jobs/invite",
                Map.of("users", List.of(Map.of("email", "x@y.example", "firstName", "X"))), Map.of());
        assertEquals(404, invite.status());
        assertEquals(0, count("SELECT count(*) FROM jobs WHERE org_id = '" + other + "'"));
    }

    @Test
    void healthIsUp() {
        ApiClient.Response health = anonymous.get("/health");
        assertEquals(200, health.status(), health.body());
        assertEquals("UP", health.json().get("status").asText());
    }

    static long count(String sql) {
        try (var pool = Database.pool(env.db(), "count")) {
            return Sql.count(pool, sql);
        }
    }
}

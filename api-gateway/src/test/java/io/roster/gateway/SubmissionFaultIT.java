package io.roster.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roster.infra.KraftBroker;
import io.roster.infra.Ports;
import io.roster.persistence.Database;
import io.roster.testsupport.ApiClient;
import io.roster.testsupport.Sql;
import io.roster.testsupport.TestEnv;
import io.roster.testsupport.TopicReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Fault: the broker is away when a job is submitted (stopped from outside, the gateway running). The submission is
 * answered 503 with Retry-After within {@code ROSTER_QUEUE_TIMEOUT}, the job is removed and nothing reaches the
 * workers; once the broker is back, the retry with the same Idempotency-Key queues the job once, and the pool of
 * chunk producers is whole again (bugs it catches: a failed transaction's producer replaced by one created while
 * the broker is away, which threw from the finally block (a 500) and shrank the pool for good; the job left behind).
 */
class SubmissionFaultIT {

    @Test
    void aSubmissionWhileTheBrokerIsAwayIs503AndItsRetryQueuesTheJobOnce() throws Exception {
        TestEnv test = TestEnv.create("subfault");
        Path logDir = Files.createTempDirectory("roster-subfault-kafka-");
        int port = Ports.free();
        KraftBroker broker = KraftBroker.start(logDir, port, 2);
        Gateway gateway = Gateway.start(test.env(Map.of("ROSTER_HTTP_PORT", "0",
                "ROSTER_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(), "ROSTER_QUEUE_TIMEOUT", "PT2S",
                "ROSTER_ADMIN_EMAIL", "fault@example.com", "ROSTER_ADMIN_PASSWORD", "a long enough password")));
        try (var pool = Database.pool(test.db(), "subfault")) {
            ApiClient admin = new ApiClient(gateway.uri()).login("fault@example.com", "a long enough password");
            String org = new ApiClient(gateway.uri()).post("/api/v1/auth/login", Map.of("email", "fault@example.com",
                    "password", "a long enough password"), Map.of()).json().at("/user/orgId").asText();
            String path = "/api/v1/orgs/" + org + "/jobs/invite";
            Map<String, Object> body = Map.of("users", List.of(Map.of("email", "f1@example.com", "firstName", "F"),
                    Map.of("email", "f2@example.com", "firstName", "G")));
            Map<String, String> key = Map.of("Idempotency-Key", "fault-1");

            broker.close();
            for (int attempt = 0; attempt < 5; attempt++) {
                // more attempts than the pool has producers: each failed one is replaced, never lost
                ApiClient.Response refused = admin.post(path, body, key);
                assertEquals(503, refused.status(), refused.body());
                assertEquals("/problems/unavailable", refused.json().get("type").asText());
                assertNotNull(refused.header("Retry-After"));
                assertEquals(0, Sql.count(pool, "SELECT count(*) FROM jobs"), "the job is removed");
            }

            broker = KraftBroker.start(logDir, port, 2);
            AtomicReference<ApiClient.Response> accepted = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                ApiClient.Response r = admin.post(path, body, key);
                assertTrue(r.status() == 202 || r.status() == 503, r.body());
                accepted.set(r);
                return r.status() == 202;
            });
            String job = accepted.get().json().get("id").asText();
            for (int i = 0; i < 5; i++) {
                ApiClient.Response again = admin.post(path, body, key);
                assertEquals(202, again.status(), "the pool is whole: " + again.body());
                assertEquals(job, again.json().get("id").asText(), "the same key answers the same job");
            }
            assertEquals(1, Sql.count(pool, "SELECT count(*) FROM jobs"));
            assertEquals(1, Sql.count(pool, "SELECT count(*) FROM jobs WHERE submitted_at IS NOT NULL AND total = 2"));
            try (TopicReader chunks = new TopicReader(broker.bootstrapServers(), test.topics().invites())) {
                assertEquals(1, chunks.readToEnd().size(), "one committed chunk: the failed attempts sent none");
            }
        } finally {
            gateway.close();
            broker.close();
        }
    }
}

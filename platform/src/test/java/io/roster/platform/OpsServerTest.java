package io.roster.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The operations port: health with each check's reason, DOWN when any check is, and the Prometheus scrape. */
class OpsServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void healthGivesEveryCheckWithItsReasonAndMetricsAreScraped() throws Exception {
        AtomicBoolean databaseUp = new AtomicBoolean(true);
        Health health = new Health()
                .with("database", () -> databaseUp.get() ? Health.Check.up("answers") : Health.Check.down("no answer"))
                .with("thrower", () -> {
                    throw new IllegalStateException("boom");
                });
        try (AppMetrics metrics = new AppMetrics("test", "test-1");
             OpsServer ops = OpsServer.start("127.0.0.1", 0, new Health().with("database",
                     () -> databaseUp.get() ? Health.Check.up("answers") : Health.Check.down("no answer")),
                     metrics.registry())) {
            metrics.registry().counter("roster.test.things").increment(3);
            HttpResponse<String> up = get(ops, "/health");
            assertEquals(200, up.statusCode());
            assertEquals("{\"status\":\"UP\",\"checks\":{\"database\":{\"status\":\"UP\",\"detail\":\"answers\"}}}",
                    up.body());
            databaseUp.set(false);
            HttpResponse<String> down = get(ops, "/health");
            assertEquals(503, down.statusCode());
            assertTrue(down.body().contains("\"status\":\"DOWN\"") && down.body().contains("no answer"), down.body());

            HttpResponse<String> scrape = get(ops, "/prometheus");
            assertEquals(200, scrape.statusCode());
            assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
            assertTrue(scrape.body().contains("roster_test_things_total{app=\"test\",instance=\"test-1\"} 3.0"),
                    scrape.body());
            assertTrue(scrape.body().contains("jvm_memory_used_bytes"), "the JVM's meters are bound");
            assertEquals(404, get(ops, "/metrics").statusCode());
        }
        Health.Report report = health.report();
        assertEquals("DOWN", report.up() ? "UP" : "DOWN");
        assertEquals("IllegalStateException: boom", report.checks().get("thrower").detail(), "a check that throws is DOWN");
    }

    @Test
    void aBrokerThatDoesNotAnswerIsDownWithTheReason() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        try (BrokerCheck broker = new BrokerCheck("127.0.0.1:" + closed)) {
            Health.Check check = broker.get();
            assertEquals(false, check.up());
            assertTrue(check.detail().startsWith("no answer from 127.0.0.1:" + closed), check.detail());
        }
    }

    private static HttpResponse<String> get(OpsServer ops, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ops.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

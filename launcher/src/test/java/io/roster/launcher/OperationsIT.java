package io.roster.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roster.testsupport.ApiClient;
import io.roster.testsupport.PrometheusScrape;
import io.roster.testsupport.TestEnv;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * What an operator sees, on the packaged run: each app's {@code GET /prometheus} counts what was done (job rows by
 * type and outcome, finished jobs, mails, dead letters, HTTP requests per route, consumer lag per group, the
 * status topology's keys and punctuations), each app's {@code GET /health} gives every check with its reason, and
 * every metric the Grafana dashboard in the repository names is one the apps serve.
 */
class OperationsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void metricsCountWhatWasDoneAndTheDashboardShowsOnlyServedMetrics() throws Exception {
        TestEnv test = TestEnv.create("ops");
        try (PackagedRoster system = PackagedRoster.start(InviteFlowIT.env(test))) {
            ApiClient admin = new ApiClient(system.apiUri()).login(InviteFlowIT.ADMIN, InviteFlowIT.PASSWORD);
            String org = InviteFlowIT.orgOf(admin);
            String jobs = "/api/v1/orgs/" + org + "/jobs/";
            List<Map<String, Object>> users = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                users.add(Map.of("email", "ops" + i + "@x.example", "firstName", "Ops" + i, "role", "User"));
            }
            users.add(Map.of("email", "ops0@x.example", "firstName", "Twice")); // a row error: the email is taken
            String invite = admin.post(jobs + "invite", Map.of("users", users), Map.of()).header("Location");
            assertEquals("partially_succeeded", InviteFlowIT.awaitFinished(admin, invite).get("state").asText());
            String tag = admin.post(jobs + "tag", Map.of("filter", Map.of("role", List.of("User")), "tag", "ops",
                    "create", true), Map.of()).header("Location");
            assertEquals("succeeded", InviteFlowIT.awaitFinished(admin, tag).get("state").asText());
            // a record no worker can read: dead-lettered, and counted
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, test.infra().bootstrapServers(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
                producer.send(new ProducerRecord<>(test.topics().invites(), "x",
                        "{\"kind\":\"invite\",\u0000".getBytes(StandardCharsets.UTF_8))).get();
            }

            ApiClient gateway = new ApiClient(system.apiUri());
            ApiClient workers = new ApiClient(system.workersHealthUri());
            ApiClient streams = new ApiClient(system.streamsHealthUri());
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                PrometheusScrape w = PrometheusScrape.of(workers);
                assertEquals(5.0, w.sum("roster_job_rows_total", Map.of("type", "invite", "outcome", "succeeded")));
                assertEquals(1.0, w.sum("roster_job_rows_total", Map.of("type", "invite", "outcome", "failed")));
                assertEquals(5.0, w.sum("roster_job_rows_total", Map.of("type", "tag", "outcome", "succeeded")));
                assertEquals(1.0, w.sum("roster_jobs_finished_total",
                        Map.of("type", "invite", "state", "partially_succeeded")));
                assertEquals(1.0, w.sum("roster_jobs_finished_total", Map.of("type", "tag", "state", "succeeded")));
                assertEquals(1.0, w.sum("roster_dead_letters_total", Map.of("topic", test.topics().invites())));
                assertTrue(w.sum("roster_mails_sent_seconds_count", Map.of()) >= 5, "five invitations mailed");
                assertTrue(w.sum("roster_outbox_published_total", Map.of()) >= 5 + 5, "changes published");
                assertEquals(1.0, w.sum("roster_outbox_relay_active", Map.of()), "one relay publishes");
                assertEquals(0.0, w.sum("roster_jobs_open", Map.of()), "nothing left queued or running");
                assertTrue(w.count("kafka_consumer_fetch_manager_records_lag",
                        Map.of("group", io.roster.workers.Workers.GROUP_ID, "topic", test.topics().invites())) > 0,
                        "lag per group, topic and partition");
                assertTrue(w.sum("hikaricp_connections_max", Map.of()) > 0);
                PrometheusScrape g = PrometheusScrape.of(gateway);
                for (String type : List.of("invite", "tag")) {
                    assertEquals(1.0, g.sum("http_server_requests_seconds_count", Map.of("method", "POST",
                            "uri", "/api/v1/orgs/{orgId}/jobs/" + type, "status", "202")));
                }
                assertTrue(g.count("http_server_requests_seconds_bucket", Map.of("uri", "/api/v1/auth/login")) > 1,
                        "a latency histogram per route");
                PrometheusScrape s = PrometheusScrape.of(streams);
                assertTrue(s.sum("kafka_stream_state_estimate_num_keys", Map.of("rocksdb_state_id", "status-users"))
                        >= 1, "the admin's login is tracked");
                assertTrue(s.count("kafka_stream_thread_punctuate_latency_max", Map.of()) > 0);
            });

            JsonNode workersHealth = health(workers);
            assertEquals("UP", workersHealth.get("status").asText(), workersHealth.toString());
            for (String check : List.of("database", "broker", "outboxRelay", "jobs-0", "status", "mail")) {
                JsonNode node = workersHealth.at("/checks/" + check);
                assertEquals("UP", node.path("status").asText(), check + ": " + workersHealth);
                assertFalse(node.path("detail").asText().isBlank(), check + " says why");
            }
            assertTrue(workersHealth.at("/checks/jobs-0/detail").asText().contains("partition(s) assigned, last poll"));
            JsonNode streamsHealth = health(streams);
            assertTrue(streamsHealth.at("/checks/topology/detail").asText().startsWith("RUNNING"), streamsHealth.toString());
            assertEquals("UP", streamsHealth.at("/checks/broker/status").asText());
            JsonNode gatewayHealth = JSON.readTree(gateway.get("/health").body());
            assertEquals("UP", gatewayHealth.at("/details/database/status").asText(), gatewayHealth.toString());
            assertEquals("UP", gatewayHealth.at("/details/broker/status").asText(), gatewayHealth.toString());

            Set<String> names = new HashSet<>();
            for (ApiClient app : List.of(gateway, workers, streams)) {
                names.addAll(PrometheusScrape.of(app).names());
            }
            Set<String> missing = new TreeSet<>(dashboardMetrics());
            missing.removeAll(names);
            assertTrue(missing.isEmpty(), "the dashboard names metrics no app serves: " + missing);
        }
    }

    private static JsonNode health(ApiClient app) throws Exception {
        return JSON.readTree(app.get("/health").body());
    }

    /** PromQL words that are not metric names: functions, aggregations, keywords. */
    private static final Set<String> PROMQL = Set.of("sum", "max", "min", "avg", "count", "rate", "increase",
            "histogram_quantile", "by", "without", "on", "ignoring", "and", "or", "unless", "irate", "vector");

    /** Every metric name in the dashboard's queries (label matchers, groupings and ranges taken out). */
    static Set<String> dashboardMetrics() throws Exception {
        JsonNode dashboard = JSON.readTree(Files.readString(Path.of("..", "deploy", "grafana", "dashboards",
                "roster.json")));
        Set<String> names = new TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.get("expr").asText()
                        .replaceAll("\\{[^}]*}", " ")
                        .replaceAll("\\b(by|without)\\s*\\([^)]*\\)", " ")
                        .replaceAll("\\[[^]]*]", " ")
                        .replaceAll("\"[^\"]*\"", " ");
                Matcher word = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*").matcher(expr);
                while (word.find()) {
                    if (!PROMQL.contains(word.group())) {
                        names.add(word.group());
                    }
                }
            }
        }
        assertTrue(names.size() > 15, "the dashboard's queries were read: " + names);
        return names;
    }
}

package io.roster.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roster.contracts.event.LoginSucceeded;
import io.roster.contracts.serde.Json;
import io.roster.example.UserDirectory;
import io.roster.persistence.Database;
import io.roster.persistence.Tx;
import io.roster.testsupport.ApiClient;
import io.roster.testsupport.Sql;
import io.roster.testsupport.TestEnv;
import io.roster.testsupport.TopicReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The change-stream contract as a downstream service lives it, on the packaged run: the example consumer keeps a
 * copy of one organization's users from the public topics while a mixed workload runs (an import, edits, a bulk
 * tag, a transfer, a bulk delete, logins that change status, a forced logout) and the run is killed with SIGKILL
 * twice: while the import's chunks are being applied (a worker crash) and while the outbox holds committed changes
 * not yet published (an outbox-relay crash). Afterwards the copy equals the users table; no event id came with two
 * payloads; every event the topic holds was read by the CloudEvents SDK and satisfied its schemas.
 */
class ChangeStreamIT {

    static final String ADMIN = "root@stream.example";
    static final String PASSWORD = "a long enough password";

    @Test
    void theExampleConsumersCopyEqualsTheTableAfterAMixedWorkloadWithTwoCrashes() throws Exception {
        TestEnv test = TestEnv.create("changestream");
        Map<String, String> env = new HashMap<>(test.env(Map.of("ROSTER_ADMIN_EMAIL", ADMIN,
                "ROSTER_ADMIN_PASSWORD", PASSWORD, "ROSTER_CHUNK_SIZE", "100", "ROSTER_BULK_CHUNK_SIZE", "50",
                "ROSTER_WORKER_THREADS", "2", "ROSTER_ORG_REQUESTS_PER_SECOND", "1000",
                "ROSTER_STREAMS_STATE_DIR", System.getProperty("java.io.tmpdir") + "/roster-it-" + UUID.randomUUID())));
        PackagedRoster run = PackagedRoster.start(env);
        String prefix = test.topics().prefix();
        try (var pool = Database.pool(test.db(), "changestream");
             var producer = new KafkaProducer<String, byte[]>(test.kafka().producer("changestream-logins"))) {
            ApiClient admin = new ApiClient(run.apiUri()).login(ADMIN, PASSWORD);
            String org = admin.post("/api/v1/auth/login", Map.of("email", ADMIN, "password", PASSWORD), Map.of())
                    .json().at("/user/orgId").asText();
            String jobs = "/api/v1/orgs/" + org + "/jobs/";
            UserDirectory directory = new UserDirectory(test.kafka().bootstrapServers(), prefix, org, e -> { });
            Thread reading = new Thread(directory, "example-directory");
            reading.start();
            try {
                String branch = admin.post("/api/v1/orgs/" + org + "/sub-orgs", Map.of("name", "Branch"), Map.of())
                        .json().get("id").asText();
                awaitJob(admin, admin.post("/api/v1/orgs/" + branch + "/jobs/invite", Map.of("users", List.of(
                        Map.of("email", "chief@stream.example", "firstName", "Chief", "role", "Admin"))), Map.of())
                        .header("Location"));

                // an import, and a crash while its chunks are applied
                int rows = 3000;
                StringBuilder csv = new StringBuilder("email,firstName,lastName,role,location,tags\n");
                for (int i = 0; i < rows; i++) {
                    csv.append("u").append(i).append("@stream.example,Ünal,Nr ").append(i).append(',')
                            .append(i % 10 == 0 ? "Staff" : "User").append(',').append(i % 3 == 0 ? "" : "Lyon")
                            .append(',').append(i % 7 == 0 ? "early" : "").append('\n');
                }
                String importJob = admin.postRaw(jobs + "invite", "text/csv", csv.toString(), Map.of())
                        .header("Location");
                String token = admin.token();
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20)).until(() ->
                        admin.get(importJob).json().get("processed").asInt() > 0);
                assertTrue(admin.get(importJob).json().get("processed").asInt() < rows, "killed mid-import");
                run.kill();
                run = run.restart(false);
                ApiClient again = new ApiClient(run.apiUri()).withToken(token);
                JsonNode imported = awaitJob(again, importJob);
                assertEquals(rows, imported.get("succeeded").asInt(), imported.toString());
                Map<String, String> ids = ids(pool, org);

                // edits, one at a time
                for (int i = 0; i < 20; i++) {
                    ApiClient.Response edited = again.send("PATCH", "/api/v1/users/" + ids.get("u" + i
                            + "@stream.example"), Json.writeString(Map.of("firstName", "Edited", "lastName",
                            "Nr " + i, "role", "User", "location", "Oslo")));
                    assertEquals(200, edited.status(), edited.body());
                }

                // a bulk tag of everyone, and a crash while its changes wait in the outbox
                String tag = again.post(jobs + "tag", Map.of("filter", Map.of(), "tag", "all", "create", true),
                        Map.of()).header("Location");
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(2)).until(() ->
                        Sql.count(pool, "SELECT count(*) FROM outbox") > 0);
                run.kill();
                assertTrue(Sql.count(pool, "SELECT count(*) FROM outbox") > 0,
                        "the relay died with committed changes unpublished");
                run = run.restart(false);
                again = new ApiClient(run.apiUri()).withToken(token);
                awaitJob(again, tag);

                // a transfer, a bulk delete, logins that change status, a forced logout
                List<String> moving = new ArrayList<>();
                List<String> doomed = new ArrayList<>();
                List<String> loggingIn = new ArrayList<>();
                for (int i = 100; i < 150; i++) {
                    moving.add(ids.get("u" + i + "@stream.example"));
                }
                for (int i = 200; i < 300; i++) {
                    doomed.add(ids.get("u" + i + "@stream.example"));
                }
                for (int i = 300; i < 400; i++) {
                    loggingIn.add(ids.get("u" + i + "@stream.example"));
                }
                JsonNode transferred = awaitJob(again, again.post(jobs + "transfer", Map.of("userIds", moving,
                        "destinationAdminEmail", "chief@stream.example", "role", "Staff"), Map.of())
                        .header("Location"));
                assertEquals(50, transferred.get("succeeded").asInt(), transferred.toString());
                JsonNode deleted = awaitJob(again, again.post(jobs + "delete", Map.of("userIds", doomed,
                        "confirm", "DELETE"), Map.of()).header("Location"));
                assertEquals(100, deleted.get("succeeded").asInt(), deleted.toString());
                for (String user : loggingIn) {
                    producer.send(new ProducerRecord<>(test.topics().logins(), user, Json.write(new LoginSucceeded(
                            UUID.fromString(user), UUID.fromString(org), Instant.now(), "idp")))).get();
                }
                assertEquals(204, again.post("/api/v1/users/" + ids.get("u500@stream.example") + "/logout",
                        Map.of(), Map.of()).status());
                await().atMost(Duration.ofSeconds(120)).until(() -> Sql.count(pool, "SELECT count(*) FROM users "
                        + "WHERE status = 'active' AND org_id = '" + org + "' AND email LIKE 'u3__@stream.example'")
                        == 100);
                // a login that changes no status (the admin is active) still moves lastLoginAt, in the table and so
                // on the users topic (the fault suite found the topic a login behind)
                Thread.sleep(50);
                assertEquals(200, new ApiClient(run.apiUri()).post("/api/v1/auth/login", Map.of("email", ADMIN,
                        "password", PASSWORD), Map.of()).status());

                // everything committed is published, and the consumer has read it all
                await().atMost(Duration.ofSeconds(60)).until(() -> Sql.count(pool, "SELECT count(*) FROM outbox")
                        == 0);
                Map<TopicPartition, Long> end = endOffsets(test.kafka().bootstrapServers(),
                        List.of(prefix + "users.v1", prefix + "user-changes.v1"));
                await().atMost(Duration.ofSeconds(60)).until(() -> directory.readUpTo(end));

                Map<String, JsonNode> table = io.roster.testsupport.UserSnapshots.of(pool, UUID.fromString(org));
                assertEquals(rows + 1 - 50 - 100, table.size(), "the admin and the imported, less moved and deleted");
                assertEquals(table, directory.users(), "the copy equals the users table");
                assertEquals(0, directory.conflicts(), "no event id came with two payloads");
                assertTrue(directory.events() >= rows + 20 + rows + 50 + 100 + 100 + 1,
                        "every kind of change was seen: " + directory.events());
            } finally {
                directory.close();
                reading.join(10_000);
            }

            // every event on the topic, read by the CloudEvents SDK and checked against its schemas (TopicReader);
            // one payload per id, however often it was delivered
            Map<String, Set<String>> payloads = new HashMap<>();
            Set<String> types = new HashSet<>();
            try (TopicReader changes = new TopicReader(test.kafka().bootstrapServers(), test.topics().userChanges())) {
                for (ConsumerRecord<String, byte[]> record : changes.readToEnd()) {
                    JsonNode event = new ObjectMapper().readTree(record.value());
                    types.add(event.get("type").asText());
                    payloads.computeIfAbsent(event.get("id").asText(), k -> new HashSet<>())
                            .add(sha256(event.get("data").toString()));
                }
            }
            assertEquals(Set.of("io.roster.user.invited.v1", "io.roster.user.updated.v1",
                    "io.roster.user.tags-changed.v1", "io.roster.user.transferred.v1", "io.roster.user.deleted.v1",
                    "io.roster.user.status-changed.v1", "io.roster.user.logged-out.v1"), types);
            assertEquals(List.of(), payloads.entrySet().stream().filter(e -> e.getValue().size() > 1)
                    .map(Map.Entry::getKey).toList(), "event ids with two payloads");
        } finally {
            run.close();
        }
    }

    static JsonNode awaitJob(ApiClient admin, String location) {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).until(() -> {
            String state = admin.get(location).json().get("state").asText();
            return !state.equals("queued") && !state.equals("running");
        });
        return admin.get(location).json();
    }

    /** Each user's id by email, in the organization. */
    static Map<String, String> ids(javax.sql.DataSource pool, String org) {
        return Tx.run(pool, c -> {
            Map<String, String> ids = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT email, id FROM users WHERE org_id = ?::uuid")) {
                ps.setString(1, org);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            return ids;
        });
    }

    static Map<TopicPartition, Long> endOffsets(String bootstrapServers, List<String> topics) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
                bootstrapServers, "isolation.level", "read_committed"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            return consumer.endOffsets(partitions);
        }
    }

    static String sha256(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                text.getBytes(StandardCharsets.UTF_8)));
    }
}

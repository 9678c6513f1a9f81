package io.roster.workers.admin;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.roster.contracts.Keys;
import io.roster.contracts.job.InviteChunk;
import io.roster.contracts.job.InviteRow;
import io.roster.contracts.job.JobState;
import io.roster.contracts.job.JobType;
import io.roster.contracts.serde.Json;
import io.roster.persistence.Database;
import io.roster.persistence.Jobs;
import io.roster.persistence.Organizations;
import io.roster.persistence.Tx;
import io.roster.persistence.Users;
import io.roster.platform.Settings;
import io.roster.testsupport.JobRows;
import io.roster.testsupport.Sql;
import io.roster.testsupport.TestEnv;
import io.roster.testsupport.TopicReader;
import io.roster.workers.Workers;
import io.roster.workers.WorkersConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * The operator's commands over a real broker and database, with a workers instance running: dead letters of the
 * workers and of the status topology listed with where they came from and why, one replayed once its cause is
 * fixed and then applied; the users topic rebuilt after it was lost, equal to the table, without a change event.
 */
class RosterAdminIT {

    @Test
    void deadLettersAreListedAndAChosenOneIsReplayedOnceItsCauseIsFixed() throws Exception {
        TestEnv env = TestEnv.create("admindlq");
        try (var pool = Database.pool(env.db(), "test");
             var producer = new KafkaProducer<String, byte[]>(env.kafka().producer("test"));
             Workers workers = Workers.start(config(env))) {
            UUID org = UUID.randomUUID();
            Tx.run(pool, c -> Organizations.insertRoot(c, org, "Org"));
            UUID job = UUID.randomUUID();
            // a chunk of a job the database does not know (yet): a dead letter
            InviteChunk chunk = new InviteChunk(job, org, 0, 1, UUID.randomUUID(), "test", List.of(
                    new InviteRow(1, "late@admin.example", "Late", "Job", "User", null, List.of(), null)), null,
                    false);
            producer.send(new ProducerRecord<>(env.topics().invites(), Keys.chunk(job, 0), Json.write(chunk))).get();
            // and one the status topology gave up on, as Kafka Streams writes it
            RecordHeaders headers = new RecordHeaders();
            headers.add("__streams.errors.topic", env.topics().logins().getBytes(StandardCharsets.UTF_8));
            headers.add("__streams.errors.partition", "3".getBytes(StandardCharsets.UTF_8));
            headers.add("__streams.errors.offset", "41".getBytes(StandardCharsets.UTF_8));
            headers.add("__streams.errors.exception", "io.roster.contracts.serde.MalformedRecordException"
                    .getBytes(StandardCharsets.UTF_8));
            headers.add("__streams.errors.message", "not a valid LoginSucceeded".getBytes(StandardCharsets.UTF_8));
            producer.send(new ProducerRecord<>(env.topics().deadLetters(), null, "someone", "{".getBytes(
                    StandardCharsets.UTF_8), headers)).get();
            try (TopicReader dead = new TopicReader(env.kafka().bootstrapServers(), env.topics().deadLetters())) {
                dead.awaitAtLeast(2, Duration.ofSeconds(60));
            }

            String list = admin(env, 0, "dead-letters", "list");
            assertTrue(list.contains("2 dead letter(s)"), list);
            String chunkLine = line(list, Keys.chunk(job, 0));
            assertTrue(chunkLine.contains(env.topics().invites() + "/"), chunkLine);
            assertTrue(chunkLine.contains(Workers.GROUP_ID), chunkLine);
            String streamsLine = line(list, "someone");
            assertTrue(streamsLine.contains(env.topics().logins() + "/3@41"), streamsLine);
            assertTrue(streamsLine.contains("status topology"), streamsLine);
            assertTrue(streamsLine.contains("MalformedRecordException: not a valid LoginSucceeded"), streamsLine);

            // the cause fixed (the job exists now), the chunk is replayed and applied
            Tx.run(pool, c -> {
                Jobs.insert(c, job, org, JobType.invite, 1, 1, UUID.randomUUID(), null, null);
                return null;
            });
            String id = chunkLine.split("\\s+")[0];
            String replayed = admin(env, 0, "dead-letters", "replay", id);
            assertTrue(replayed.contains("replayed " + id + " to " + env.topics().invites()), replayed);
            await().atMost(Duration.ofSeconds(60)).until(() -> JobRows.find(pool, job).orElseThrow().state()
                    .terminal());
            assertEquals(JobState.succeeded, JobRows.find(pool, job).orElseThrow().state());
            assertEquals(1, Sql.count(pool, "SELECT count(*) FROM users WHERE email = 'late@admin.example'"));

            assertEquals("", admin(env, 2, "dead-letters", "replay", "0:999999"));
            assertEquals("", admin(env, 2, "dead-letters", "replay", "x"));
            assertEquals("", admin(env, 2, "dead-letters"));
        }
    }

    @Test
    void aLostUsersTopicIsRebuiltFromTheTableWithoutAChangeEvent() throws Exception {
        TestEnv env = TestEnv.create("adminsnap");
        try (var pool = Database.pool(env.db(), "test");
             Workers workers = Workers.start(config(env))) {
            UUID org = UUID.randomUUID();
            Tx.run(pool, c -> Organizations.insertRoot(c, org, "Org"));
            Tx.run(pool, c -> {
                for (int i = 0; i < 2500; i++) {
                    Users.insertInvited(c, List.of(new Users.NewUser(UUID.randomUUID(), org, "u" + i + "@snap.example",
                            "Ünal", i % 3 == 0 ? "" : "Nr " + i, io.roster.contracts.user.Role.User,
                            i % 2 == 0 ? null : "Lyon", i % 5 == 0 ? List.of("vip") : List.of(), null,
                            java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS), null, null,
                            "test")), UUID::randomUUID);
                }
                return null;
            });
            await().atMost(Duration.ofSeconds(60)).until(() -> Sql.count(pool, "SELECT count(*) FROM outbox") == 0);
            long changes;
            try (TopicReader reader = new TopicReader(env.kafka().bootstrapServers(), env.topics().userChanges())) {
                changes = reader.readToEnd().size();
            }
            assertEquals(2500, changes);
            try (Admin kafka = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    env.kafka().bootstrapServers()))) {
                kafka.deleteTopics(List.of(env.topics().users())).all().get();
                await().atMost(Duration.ofSeconds(30)).until(() -> !kafka.listTopics().names().get()
                        .contains(env.topics().users()));
            }

            String out = admin(env, 0, "snapshots", "rebuild");
            assertTrue(out.contains("queued the state of 2,500 users"), out);
            assertTrue(out.contains("published"), out);

            Map<String, JsonNode> table = io.roster.testsupport.UserSnapshots.of(pool, null);
            Map<String, JsonNode> topic = new HashMap<>();
            try (TopicReader reader = new TopicReader(env.kafka().bootstrapServers(), env.topics().users())) {
                for (ConsumerRecord<String, byte[]> record : reader.awaitAtLeast(2500, Duration.ofSeconds(60))) {
                    // each checked against its schema
                    topic.put(record.key(), io.roster.testsupport.UserSnapshots.read(record.value()));
                }
            }
            assertEquals(table, topic, "one record per user, as the table says");
            try (TopicReader reader = new TopicReader(env.kafka().bootstrapServers(), env.topics().userChanges())) {
                assertEquals(changes, reader.readToEnd().size(), "no change event");
            }
        }
    }

    static WorkersConfig config(TestEnv env) {
        return WorkersConfig.from(new Settings(env.env(Map.of("ROSTER_WORKER_THREADS", "1",
                "ROSTER_WORKERS_HEALTH_PORT", "0"))));
    }

    /** Runs a command as the operator would; asserts its exit code; returns what it printed. */
    static String admin(TestEnv env, int exitCode, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = RosterAdmin.run(env.env(), args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(exitCode, code, out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    static String line(String output, String containing) {
        return output.lines().filter(l -> l.contains(containing)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with " + containing + " in\n" + output));
    }
}

package io.roster.workers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roster.testsupport.JobRows;
import io.roster.contracts.Keys;
import io.roster.contracts.event.UserChangeEvent;
import io.roster.contracts.event.UserInvited;
import io.roster.contracts.event.UserSnapshot;
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
import io.roster.contracts.user.Role;
import io.roster.platform.Settings;
import io.roster.testsupport.Sql;
import io.roster.testsupport.SimulatedCrash;
import io.roster.testsupport.TestEnv;
import io.roster.testsupport.TopicReader;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The invite worker over a real broker and database: exactly-once rows and events across a crash, dead letters. */
class InviteWorkerIT {


    static TestEnv env;
    static com.zaxxer.hikari.HikariDataSource pool;
    static KafkaProducer<String, byte[]> producer;

    /** A topic prefix, schema and consumer group's offsets of its own for each test: no test sees another's. */
    @BeforeEach
    void setUp() {
        env = TestEnv.create("workers");
        pool = Database.pool(env.db(), "test");
        producer = new KafkaProducer<>(env.kafka().producer("test"));
    }

    @AfterEach
    void tearDown() {
        producer.close();
        pool.close();
    }

    static WorkersConfig config() {
        return WorkersConfig.from(new Settings(env.env(Map.of("ROSTER_WORKER_THREADS", "1",
                "ROSTER_WORKERS_HEALTH_PORT", "0"))));
    }

    @Test
    void aChunkAppliedBeforeACrashIsNotAppliedAgainAfterTheRestart() throws Exception {
        UUID org = newOrg(pool);
        UUID admin = newAdmin(pool, org);
        UUID job = UUID.randomUUID();
        int chunks = 3;
        List<InviteChunk> commands = new ArrayList<>();
        for (int c = 0; c < chunks; c++) {
            List<InviteRow> rows = new ArrayList<>();
            for (int r = 0; r < 50; r++) {
                int rowNo = c * 50 + r + 1;
                String email = rowNo == 7 ? "not-an-email" : "user" + rowNo + "@" + job + ".example";
                String role = rowNo == 120 ? "Owner" : "Staff";
                rows.add(new InviteRow(rowNo, email, "First" + rowNo, "Last", role, "Berlin", List.of("t1"), null));
            }
            commands.add(new InviteChunk(job, org, c, chunks, admin, "test", rows, null, false));
        }
        Tx.run(pool, c -> {
            Jobs.insert(c, job, org, JobType.invite, 150, chunks, UUID.randomUUID(), null, null);
            return null;
        });
        for (InviteChunk chunk : commands) {
            producer.send(new ProducerRecord<>(env.topics().invites(), Keys.chunk(job, chunk.chunkNo()),
                    Json.write(chunk))).get();
        }

        AtomicInteger applied = new AtomicInteger();
        Workers crashing = Workers.start(config(), command -> {
            if (applied.incrementAndGet() == 2) {
                throw new SimulatedCrash("after the database commit, before the offset commit");
            }
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> !crashing.allThreadsAlive());
        crashing.close();
        assertEquals(2, applied.get());
        assertEquals(2, job(job).chunksDone(), "two chunks were committed to the database before the crash");
        assertTrue(committedOffsets() < chunks - 1,
                "at least one applied chunk's offset was never committed, so it will be delivered again");

        try (Workers restarted = Workers.start(config())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> job(job).state().terminal());
            await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM outbox") == 0);
        }

        Jobs.Job done = job(job);
        assertEquals(JobState.partially_succeeded, done.state());
        assertEquals(150, done.processed());
        assertEquals(148, done.succeeded());
        assertEquals(2, done.failed());
        assertEquals(3, done.chunksDone());
        assertEquals(149, count("SELECT count(*) FROM users WHERE org_id = '" + org + "'"), "148 invited, 1 admin");
        assertEquals(148, count("SELECT count(*) FROM user_activity WHERE org_id = '" + org + "' AND action = "
                + "'roster.user.invited' AND details = 'job " + job + "'"), "each invited user's log says so, once");
        assertEquals(0, count("SELECT count(*) FROM activity WHERE org_id = '" + org + "'"),
                "an invitation is read from its user row, not written as an activity row");
        List<Jobs.RowError> errors = JobRows.errors(pool, job, 100);
        assertEquals(List.of(new Jobs.RowError(7, "email", "invalid_email", "'not-an-email' is not a valid email address"),
                new Jobs.RowError(120, "role", "invalid_role", "role 'Owner' is not one of Admin, Staff, User")), errors);

        Map<UUID, Set<UUID>> eventIdsByUser = new HashMap<>();
        try (TopicReader reader = new TopicReader(env.infra().bootstrapServers(), env.topics().userChanges())) {
            for (ConsumerRecord<String, byte[]> record : reader.readToEnd()) {
                UserChangeEvent event = Json.read(record.value(), UserChangeEvent.class);
                UserInvited data = (UserInvited) event.data();
                if (job.equals(data.jobId())) {
                    assertEquals(record.key(), data.userId().toString());
                    eventIdsByUser.computeIfAbsent(data.userId(), u -> new HashSet<>()).add(event.id());
                }
            }
        }
        assertEquals(148, eventIdsByUser.size(), "one invited event per invited user");
        assertTrue(eventIdsByUser.values().stream().allMatch(ids -> ids.size() == 1), "one event id per change");
        try (TopicReader reader = new TopicReader(env.infra().bootstrapServers(), env.topics().users())) {
            long snapshots = reader.readToEnd().stream()
                    .map(r -> Json.read(r.value(), UserSnapshot.class))
                    .filter(s -> s.orgId().equals(org) && !s.id().equals(admin)).map(UserSnapshot::id).distinct()
                    .count();
            assertEquals(148, snapshots);
        }
    }

    @Test
    void unreadableRecordsAndChunksOfUnknownJobsGoToTheDeadLetterTopic() throws Exception {
        UUID org = newOrg(pool);
        UUID admin = newAdmin(pool, org);
        UUID job = UUID.randomUUID();
        Tx.run(pool, c -> {
            Jobs.insert(c, job, org, JobType.invite, 1, 1, UUID.randomUUID(), null, null);
            return null;
        });
        String topic = env.topics().invites();
        producer.send(new ProducerRecord<>(topic, "garbage", "{not json".getBytes(StandardCharsets.UTF_8))).get();
        producer.send(new ProducerRecord<>(topic, "unknown", ("{\"kind\":\"explode\",\"jobId\":\"" + job + "\"}")
                .getBytes(StandardCharsets.UTF_8))).get();
        UUID ghost = UUID.randomUUID();
        producer.send(new ProducerRecord<>(topic, Keys.chunk(ghost, 0), Json.write(new InviteChunk(ghost, org, 0, 1,
                UUID.randomUUID(), "test", List.of(new InviteRow(1, "ghost@example.com", "G", "H", "User", null, null, null)), null, false))))
                .get();
        producer.send(new ProducerRecord<>(topic, Keys.chunk(job, 0), Json.write(new InviteChunk(job, org, 0, 1,
                admin, "test", List.of(new InviteRow(1, "real-" + job + "@example.com", "R", "S", "admin",
                null, null, null)), null, false)))).get();

        try (Workers workers = Workers.start(config());
             TopicReader reader = new TopicReader(env.infra().bootstrapServers(), env.topics().deadLetters())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> job(job).state().terminal());
            assertEquals(JobState.succeeded, job(job).state());
            assertEquals(0, count("SELECT count(*) FROM users WHERE email = 'ghost@example.com'"));
            List<ConsumerRecord<String, byte[]>> dead = reader.awaitAtLeast(3, Duration.ofSeconds(30));
            Set<String> keys = new HashSet<>();
            for (ConsumerRecord<String, byte[]> record : dead) {
                keys.add(record.key());
                assertEquals(topic, new String(record.headers().lastHeader("roster.dlq.topic").value(),
                        StandardCharsets.UTF_8));
                assertFalse(new String(record.headers().lastHeader("roster.dlq.error").value(),
                        StandardCharsets.UTF_8).isBlank());
            }
            assertEquals(Set.of("garbage", "unknown", Keys.chunk(ghost, 0)), keys);
        }
    }

    static UUID newOrg(DataSource pool) {
        UUID org = UUID.randomUUID();
        Tx.run(pool, c -> Organizations.insertRoot(c, org, "Org " + org));
        return org;
    }

    /** An admin of {@code org}: the requester of a job that may give any role. */
    static UUID newAdmin(DataSource pool, UUID org) {
        UUID id = UUID.randomUUID();
        Tx.run(pool, c -> {
            Users.insertInvited(c, List.of(new Users.NewUser(id, org, "admin-" + id + "@example.com", "Admin", "",
                    Role.Admin, null, List.of(), null, java.time.Instant.now().truncatedTo(
                    java.time.temporal.ChronoUnit.MICROS), null, null, "test")), UUID::randomUUID);
            return null;
        });
        return id;
    }

    static Jobs.Job job(UUID id) {
        return JobRows.find(pool, id).orElseThrow();
    }

    static long count(String sql) {
        return Sql.count(pool, sql);
    }

    static long committedOffsets() {
        return io.roster.testsupport.CommittedOffsets.sum(env.infra().bootstrapServers(), Workers.GROUP_ID,
                env.topics().invites());
    }
}

package io.roster.workers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roster.testsupport.JobRows;
import io.roster.contracts.Keys;
import io.roster.contracts.job.ExportCommand;
import io.roster.contracts.job.InviteChunk;
import io.roster.contracts.job.InviteRow;
import io.roster.contracts.job.JobState;
import io.roster.contracts.job.JobType;
import io.roster.contracts.serde.Json;
import io.roster.contracts.user.UsersFilter;
import io.roster.persistence.Database;
import io.roster.persistence.Jobs;
import io.roster.persistence.Tx;
import io.roster.platform.Settings;
import io.roster.testsupport.Sql;
import io.roster.testsupport.TestEnv;
import io.roster.testsupport.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * One tenant's poison never stalls another's jobs: records that fail the same way every time become row errors or
 * a failed job with its reason, go to the dead-letter topic with where they came from, and the partition moves on.
 * One worker thread owns every partition here, so a record retried forever would hold up everything behind it.
 */
class PoisonRecordIT {

    static TestEnv env;
    static com.zaxxer.hikari.HikariDataSource pool;
    static KafkaProducer<String, byte[]> producer;

    @org.junit.jupiter.api.BeforeEach
    void setUp() {
        env = TestEnv.create("poison");
        pool = Database.pool(env.db(), "test");
        producer = new KafkaProducer<>(env.kafka().producer("test"));
    }

    @org.junit.jupiter.api.AfterEach
    void tearDown() {
        producer.close();
        pool.close();
    }

    @Test
    void aPoisonedJobFailsWithItsReasonWhileAnotherTenantsJobsBehindItFinish() throws Exception {
        UUID tenantA = InviteWorkerIT.newOrg(pool);
        UUID tenantB = InviteWorkerIT.newOrg(pool);

        // tenant A: an invite with a NUL byte in a name, and an export whose filter holds one (PostgreSQL refuses
        // both: "invalid byte sequence for encoding UTF8: 0x00"); tenant B's jobs come after them on the same
        // partitions
        UUID poisonedInvite = job(tenantA, JobType.invite, 2);
        send(env.topics().invites(), new InviteChunk(poisonedInvite, tenantA, 0, 1, UUID.randomUUID(), "test",
                List.of(new InviteRow(1, "nul-" + poisonedInvite + "@example.com", "Nul\u0000Name", "X", null, null,
                                null, null),
                        new InviteRow(2, "fine-" + poisonedInvite + "@example.com", "Fine", "Y", null, null, null,
                                null)), null, false));
        UUID poisonedExport = job(tenantA, JobType.export, 0);
        ExportCommand poison = new ExportCommand(poisonedExport, tenantA, 0, 1, UUID.randomUUID(), "test", null,
                new UsersFilter(List.of(), List.of(), null, "a\u0000", false), List.of("name", "email"), false, null, 0);
        RecordMetadata poisonAt = send(env.topics().exports(), poison);
        UUID inviteB = job(tenantB, JobType.invite, 1);
        send(env.topics().invites(), new InviteChunk(inviteB, tenantB, 0, 1, UUID.randomUUID(), "test",
                List.of(new InviteRow(1, "b-" + inviteB + "@example.com", "Bea", "B", null, null, null, null)), null,
                false));
        UUID exportB = job(tenantB, JobType.export, 0);
        send(env.topics().exports(), new ExportCommand(exportB, tenantB, 0, 1, UUID.randomUUID(), "test", null,
                new UsersFilter(List.of(), List.of(), null, null, false), List.of("name", "email"), false, null, 0));

        try (Workers workers = Workers.start(WorkersConfig.from(new Settings(env.env(Map.of(
                "ROSTER_WORKER_THREADS", "1", "ROSTER_WORKERS_HEALTH_PORT", "0")))));
             TopicReader deadLetters = new TopicReader(env.infra().bootstrapServers(), env.topics().deadLetters())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> stored(inviteB).state().terminal()
                    && stored(exportB).state().terminal());
            assertEquals(JobState.succeeded, stored(inviteB).state(), "tenant B's invite went through");
            assertEquals(JobState.succeeded, stored(exportB).state(), "tenant B's export went through");

            Jobs.Job invite = stored(poisonedInvite);
            assertEquals(JobState.partially_succeeded, invite.state(), "the good row of the poisoned invite applied");
            assertEquals(List.of(new Jobs.RowError(1, "firstName", "invalid_characters",
                    "firstName holds a NUL, a control character, a line break or a bidirectional override")),
                    JobRows.errors(pool, poisonedInvite, 10));
            assertEquals(1, Sql.count(pool, "SELECT count(*) FROM users WHERE org_id = '" + tenantA + "'"));

            Jobs.Job export = stored(poisonedExport);
            assertEquals(JobState.failed, export.state());
            assertTrue(export.failureReason() != null && export.failureReason().contains("0x00"),
                    "the job says why: " + export.failureReason());

            List<ConsumerRecord<String, byte[]>> dead = deadLetters.awaitAtLeast(1, Duration.ofSeconds(30));
            assertEquals(1, dead.size(), "only the export could not apply at all");
            ConsumerRecord<String, byte[]> letter = dead.get(0);
            assertArrayEquals(Json.write(poison), letter.value(), "the record as it was received");
            assertEquals(Keys.chunk(poisonedExport, 0), letter.key());
            assertEquals(env.topics().exports(), header(letter, "roster.dlq.topic"));
            assertEquals(Integer.toString(poisonAt.partition()), header(letter, "roster.dlq.partition"));
            assertEquals(Long.toString(poisonAt.offset()), header(letter, "roster.dlq.offset"));
            assertTrue(header(letter, "roster.dlq.error").contains("SQLSTATE 22021"), header(letter,
                    "roster.dlq.error"));
            await().atMost(Duration.ofSeconds(30)).until(() -> workersHealth(workers) == 200);
        }
    }

    @Test
    void theStatusConsumerAndTheMailerDeadLetterWhatTheyCannotReadAndGoOn() throws Exception {
        UUID org = InviteWorkerIT.newOrg(pool);
        UUID user = InviteWorkerIT.newAdmin(pool, org);
        byte[] garbage = "{\"not\": a status".getBytes(StandardCharsets.UTF_8);
        byte[] unknownMail = "{\"kind\":\"carrier-pigeon\"}".getBytes(StandardCharsets.UTF_8);
        RecordMetadata badStatus = producer.send(new ProducerRecord<>(env.topics().userStatus(), 0, user.toString(),
                garbage)).get();
        RecordMetadata badMail = producer.send(new ProducerRecord<>(env.topics().mail(), 0, user.toString(),
                unknownMail)).get();
        // behind the garbage on the same partition: a transition that must still apply
        java.time.Instant at = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        producer.send(new ProducerRecord<>(env.topics().userStatus(), 0, user.toString(), Json.write(
                new io.roster.contracts.event.StatusChanged(user, org, io.roster.contracts.user.UserStatus.pending,
                        io.roster.contracts.user.UserStatus.active, at, at)))).get();
        try (Workers workers = Workers.start(WorkersConfig.from(new Settings(env.env(Map.of(
                "ROSTER_WORKER_THREADS", "1", "ROSTER_WORKERS_HEALTH_PORT", "0")))));
             TopicReader deadLetters = new TopicReader(env.infra().bootstrapServers(), env.topics().deadLetters())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> Sql.count(pool, "SELECT count(*) FROM users WHERE id = '"
                    + user + "' AND status = 'active'") == 1);
            List<ConsumerRecord<String, byte[]>> letters = new java.util.ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                letters.addAll(deadLetters.readToEnd());
                return letters.size() >= 2;
            });
            assertEquals(2, letters.size());
            Map<String, ConsumerRecord<String, byte[]>> byTopic = new java.util.HashMap<>();
            letters.forEach(r -> byTopic.put(header(r, "roster.dlq.topic"), r));
            ConsumerRecord<String, byte[]> status = byTopic.get(env.topics().userStatus());
            assertArrayEquals(garbage, status.value());
            assertEquals(Long.toString(badStatus.offset()), header(status, "roster.dlq.offset"));
            assertEquals(Integer.toString(badStatus.partition()), header(status, "roster.dlq.partition"));
            ConsumerRecord<String, byte[]> mail = byTopic.get(env.topics().mail());
            assertArrayEquals(unknownMail, mail.value());
            assertEquals(Long.toString(badMail.offset()), header(mail, "roster.dlq.offset"));
            assertTrue(header(mail, "roster.dlq.error").contains("MalformedRecordException"), header(mail,
                    "roster.dlq.error"));
        }
    }

    private static int workersHealth(Workers workers) {
        return new io.roster.testsupport.ApiClient(java.net.URI.create("http://127.0.0.1:" + workers.healthPort()))
                .get("/health").status();
    }

    private static UUID job(UUID org, JobType type, int total) {
        UUID id = UUID.randomUUID();
        Tx.run(pool, c -> {
            Jobs.insert(c, id, org, type, total, 1, UUID.randomUUID(), null, null);
            return null;
        });
        return id;
    }

    /** On partition 0, so that what comes after it waits for it (or not). */
    private static RecordMetadata send(String topic, io.roster.contracts.job.JobCommand command) throws Exception {
        return producer.send(new ProducerRecord<>(topic, 0, Keys.chunk(command.jobId(), command.chunkNo()),
                Json.write(command))).get();
    }

    private static Jobs.Job stored(UUID id) {
        return JobRows.find(pool, id).orElseThrow();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}

package io.roster.workers.mail;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.roster.contracts.Keys;
import io.roster.contracts.event.MailMessage;
import io.roster.contracts.serde.Json;
import io.roster.infra.Ports;
import io.roster.persistence.Database;
import io.roster.persistence.ProcessedMessages;
import io.roster.persistence.Tx;
import io.roster.platform.Settings;
import io.roster.testsupport.Sql;
import io.roster.testsupport.TestEnv;
import io.roster.testsupport.TopicReader;
import io.roster.workers.Workers;
import io.roster.workers.WorkersConfig;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The mailer over a real broker, database and SMTP server (GreenMail): a mail published twice (as the outbox relay
 * does after a crash) is sent once, across several polls; a crash between sending and recording sends the mails
 * again rather than losing them, and once recorded they are never sent again; the records are swept after their
 * time.
 */
class MailerIT {

    @Test
    void sendsEachMailOnceAcrossPollsAndRepublishing() throws Exception {
        TestEnv env = TestEnv.create("mailer");
        int port = Ports.free();
        GreenMail smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        int mails = Mailer.POLL_RECORDS * 2 + 50;
        try (var pool = Database.pool(env.db(), "mailer-test");
             var producer = new KafkaProducer<String, byte[]>(env.kafka().producer("mailer-test"))) {
            List<MailMessage> sent = new ArrayList<>();
            for (int i = 0; i < mails; i++) {
                sent.add(mail(i));
            }
            for (MailMessage mail : sent) {
                publish(producer, env, mail);
            }
            int republished = 0;
            for (int i = 0; i < mails; i += 25) {
                publish(producer, env, sent.get(i)); // re-published, later on the topic
                republished++;
            }
            long records = mails + republished;
            producer.flush();
            WorkersConfig config = WorkersConfig.from(new Settings(env.env(Map.of("ROSTER_WORKER_THREADS", "1",
                    "ROSTER_WORKERS_HEALTH_PORT", "0", "ROSTER_SMTP_HOST", "127.0.0.1",
                    "ROSTER_SMTP_PORT", Integer.toString(port)))));
            try (Workers workers = Workers.start(config)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> Sql.count(pool,
                        "SELECT count(*) FROM processed_messages WHERE consumer = 'mailer'") == mails);
                // every record, the re-published ones included, consumed and its offset committed: a mail that
                // were to go out a second time has gone by then
                await().atMost(Duration.ofSeconds(60)).until(() -> io.roster.testsupport.CommittedOffsets.sum(
                        env.infra().bootstrapServers(), io.roster.workers.Workers.MAIL_GROUP_ID, env.topics().mail())
                        == records);
            }
            Map<String, Integer> received = new HashMap<>();
            for (MimeMessage message : smtp.getReceivedMessages()) {
                received.merge(message.getHeader("X-Roster-Mail-Id")[0], 1, Integer::sum);
            }
            assertEquals(mails, received.size(), "every mail arrived");
            assertTrue(received.values().stream().allMatch(n -> n == 1), "none twice: " + received);
        } finally {
            smtp.stop();
        }
    }

    /**
     * Fault: the SMTP server is away. The consumer loop's retry path: each mail is retried with back-off (the
     * workers' health says so), nothing is recorded as sent and no offset committed; once the server is up, every mail
     * is sent once and the loop is healthy again. Bugs it catches: a failed mail skipped (its offset committed), or
     * recorded as sent; a transient failure dead-lettered.
     */
    @Test
    void mailsWaitForAnSmtpServerThatIsAwayAndGoOutOnceWhenItIsBack() throws Exception {
        TestEnv env = TestEnv.create("mailer-smtp-away");
        int port = Ports.free();
        GreenMail smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        try (var pool = Database.pool(env.db(), "mailer-away");
             var producer = new KafkaProducer<String, byte[]>(env.kafka().producer("mailer-away"))) {
            List<MailMessage> sent = List.of(mail(1), mail(2), mail(3));
            sent.forEach(mail -> publish(producer, env, mail));
            producer.flush();
            WorkersConfig config = WorkersConfig.from(new Settings(env.env(Map.of("ROSTER_WORKER_THREADS", "1",
                    "ROSTER_WORKERS_HEALTH_PORT", "0", "ROSTER_SMTP_HOST", "127.0.0.1",
                    "ROSTER_SMTP_PORT", Integer.toString(port)))));
            try (Workers workers = Workers.start(config)) {
                java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
                java.net.http.HttpRequest health = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + workers.healthPort() + "/health")).build();
                await().atMost(Duration.ofSeconds(60)).until(() -> http.send(health,
                        java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode() == 503);
                assertEquals(0, Sql.count(pool, "SELECT count(*) FROM processed_messages WHERE consumer = 'mailer'"));
                assertEquals(0, io.roster.testsupport.CommittedOffsets.sum(env.infra().bootstrapServers(),
                        Workers.MAIL_GROUP_ID, env.topics().mail()), "no offset committed past an unsent mail");

                smtp.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> io.roster.testsupport.CommittedOffsets.sum(
                        env.infra().bootstrapServers(), Workers.MAIL_GROUP_ID, env.topics().mail()) == sent.size());
                await().atMost(Duration.ofSeconds(60)).until(() -> http.send(health,
                        java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
            }
            Map<String, Integer> received = new HashMap<>();
            for (MimeMessage message : smtp.getReceivedMessages()) {
                received.merge(message.getHeader("X-Roster-Mail-Id")[0], 1, Integer::sum);
            }
            assertEquals(sent.size(), received.size(), "every mail arrived");
            assertTrue(received.values().stream().allMatch(n -> n == 1), "none twice: " + received);
            try (TopicReader dead = new TopicReader(env.infra().bootstrapServers(), env.topics().deadLetters())) {
                assertEquals(0, dead.readToEnd().size(), "a server away is not a dead letter");
            }
        } finally {
            smtp.stop();
        }
    }

    /** Stands for the process dying: thrown by the SMTP send once the server has the mail. */
    private static final class Died extends RuntimeException {
    }

    @Test
    void aCrashSendsAgainOnlyTheMailBeingSentAndARecordedMailIsNeverSentAgain() {
        TestEnv env = TestEnv.create("mailer-crash");
        try (var pool = Database.pool(env.db(), "mailer-crash")) {
            Database.migrate(pool, env.db().schema());
            List<MailMessage> batch = List.of(mail(1), mail(2), mail(3));
            List<UUID> deliveries = new ArrayList<>();
            java.util.concurrent.atomic.AtomicReference<UUID> dieAfter = new java.util.concurrent.atomic.AtomicReference<>(
                    batch.get(1).id());
            MailSender sender = mail -> {
                deliveries.add(mail.id());
                if (mail.id().equals(dieAfter.get())) {
                    throw new Died(); // the server has it; the process dies before recording it
                }
            };

            Mailer crashed = new Mailer(pool, sender, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
            crashed.beforeBatch(batch);
            assertTrue(crashed.apply(batch.get(0)));
            org.junit.jupiter.api.Assertions.assertThrows(Died.class, () -> crashed.apply(batch.get(1)));
            dieAfter.set(null);

            Mailer restarted = new Mailer(pool, sender, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
            restarted.beforeBatch(batch);
            assertFalse(restarted.apply(batch.get(0)), "recorded as soon as it was sent: not sent again");
            assertTrue(restarted.apply(batch.get(1)), "the one mail being sent at the crash goes again");
            assertTrue(restarted.apply(batch.get(2)));
            assertFalse(restarted.apply(batch.get(2)), "the same mail again in one poll");
            restarted.beforeCommit();

            Mailer later = new Mailer(pool, sender, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
            later.beforeBatch(batch);
            batch.forEach(m -> assertFalse(later.apply(m)));
            assertEquals(List.of(batch.get(0).id(), batch.get(1).id(), batch.get(1).id(), batch.get(2).id()),
                    deliveries, "one copy of the mail in flight at the crash, none of the others, never a third");
        }
    }

    @Test
    void sentMailIdsAreForgottenAfterTheirTimeAFewAtATime() throws Exception {
        TestEnv env = TestEnv.create("mailer-sweep");
        try (var pool = Database.pool(env.db(), "mailer-sweep")) {
            Database.migrate(pool, env.db().schema());
            try (var c = pool.getConnection(); var s = c.createStatement()) {
                s.execute("INSERT INTO processed_messages (consumer, message_id, processed_at) SELECT 'mailer', "
                        + "'old-' || i, now() - interval '20 days' FROM generate_series(1, 5) i");
                s.execute("INSERT INTO processed_messages (consumer, message_id) SELECT 'mailer', 'new-' || i "
                        + "FROM generate_series(1, 3) i");
            }
            Instant before = Instant.now().minus(Duration.ofDays(14));
            assertEquals(3, (int) Tx.run(pool, c -> ProcessedMessages.deleteOlderThan(c, before, 3)),
                    "at most the limit");
            assertEquals(2, (int) Tx.run(pool, c -> ProcessedMessages.deleteOlderThan(c, before, 3)));
            assertEquals(0, (int) Tx.run(pool, c -> ProcessedMessages.deleteOlderThan(c, before, 3)));
            assertEquals(3, Sql.count(pool, "SELECT count(*) FROM processed_messages WHERE message_id LIKE 'new-%'"),
                    "ids younger than their time stay");
        }
    }

    private static MailMessage mail(int i) {
        return new MailMessage(UUID.randomUUID(), "user" + i + "@mail.example", "Invitation " + i, "Hello " + i,
                "invitation", UUID.randomUUID());
    }

    private static void publish(KafkaProducer<String, byte[]> producer, TestEnv env, MailMessage mail) {
        producer.send(new ProducerRecord<>(env.topics().mail(), Keys.user(mail.userId()),
                Json.writeString(mail).getBytes(StandardCharsets.UTF_8)));
    }
}

package io.roster.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** The fixtures give a real broker and a real, migrated PostgreSQL schema. */
class InfraIT {

    @Test
    void brokerAndDatabaseAreRealAndIsolatedPerEnv() throws Exception {
        TestEnv env = TestEnv.create("infra");
        String topic = env.topics().invites();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(env.kafka().producer("infra-it"))) {
            producer.send(new ProducerRecord<>(topic, "k", "hello".getBytes(StandardCharsets.UTF_8))).get();
        }
        try (TopicReader reader = new TopicReader(env.infra().bootstrapServers(), topic)) {
            var records = reader.awaitAtLeast(1, Duration.ofSeconds(30));
            assertEquals("hello", new String(records.get(0).value(), StandardCharsets.UTF_8));
        }
        try (Connection c = env.infra().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = '"
                     + env.name() + "' ORDER BY 1")) {
            List<String> tables = new java.util.ArrayList<>();
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
            assertTrue(tables.containsAll(List.of("organizations", "users", "jobs", "job_chunks", "job_errors",
                    "outbox", "processed_messages", "sessions", "activity")), tables.toString());
        }
        TestEnv other = TestEnv.create("infra");
        try (TopicReader reader = new TopicReader(other.infra().bootstrapServers(), other.topics().invites())) {
            assertTrue(reader.readToEnd().isEmpty(), "a fresh env sees no records of another");
        }
    }

    @Test
    void aTopicReaderReturnsEachRecordOnce() throws Exception {
        TestEnv env = TestEnv.create("reader");
        String topic = env.topics().invites();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(env.kafka().producer("reader-it"));
             TopicReader reader = new TopicReader(env.infra().bootstrapServers(), topic)) {
            producer.send(new ProducerRecord<>(topic, "a", "first".getBytes(StandardCharsets.UTF_8))).get();
            assertEquals(List.of("a"), reader.readToEnd().stream().map(r -> r.key()).toList());
            assertTrue(reader.readToEnd().isEmpty(), "nothing new: nothing returned again");
            producer.send(new ProducerRecord<>(topic, "b", "second".getBytes(StandardCharsets.UTF_8))).get();
            assertEquals(List.of("b"), reader.readToEnd().stream().map(r -> r.key()).toList());
        }
    }
}

package io.roster.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roster.contracts.event.LoginSucceeded;
import io.roster.contracts.event.UserChangeEvent;
import io.roster.contracts.event.UserInvited;
import io.roster.contracts.user.Role;
import io.roster.contracts.user.UserStatus;
import java.util.List;
import io.roster.contracts.serde.Json;
import io.roster.testsupport.TestEnv;
import io.roster.testsupport.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The status topology over a real broker: a login record it cannot read goes to the dead-letter topic with where
 * it came from and why, and the partition moves on to the next login.
 */
class StreamsDeadLetterIT {

    @Test
    void anUnreadableLoginIsDeadLetteredAndTheNextOneCounts() throws Exception {
        TestEnv test = TestEnv.create("streamsdlq");
        Map<String, String> env = test.env(Map.of("ROSTER_STREAMS_HEALTH_PORT", "0",
                "ROSTER_STREAMS_STATE_DIR", Files.createTempDirectory("streams-dlq").toString()));
        UUID user = UUID.randomUUID();
        byte[] garbage = "{\"userId\": 42, \u0000".getBytes(StandardCharsets.UTF_8);
        try (StreamsApp app = StreamsApp.start(env);
             var producer = new KafkaProducer<String, byte[]>(test.kafka().producer("streams-dlq-test"))) {
            UUID org = UUID.randomUUID();
            Instant invited = Instant.now().minusSeconds(60);
            producer.send(new ProducerRecord<>(test.topics().userChanges(), user.toString(), Json.write(
                    UserChangeEvent.of(UUID.randomUUID(), invited, new UserInvited(user, org, "ida@x.example", "Ida",
                            "B", Role.User, null, List.of(), UserStatus.pending, invited, null, null))))).get();
            producer.send(new ProducerRecord<>(test.topics().logins(), user.toString(), garbage)).get();
            producer.send(new ProducerRecord<>(test.topics().logins(), user.toString(), Json.write(
                    new LoginSucceeded(user, org, Instant.now(), "test")))).get();
            try (TopicReader dead = new TopicReader(test.kafka().bootstrapServers(), test.topics().deadLetters());
                 TopicReader status = new TopicReader(test.kafka().bootstrapServers(), test.topics().userStatus())) {
                ConsumerRecord<String, byte[]> letter = dead.awaitAtLeast(1, Duration.ofSeconds(60)).get(0);
                assertEquals(user.toString(), letter.key());
                assertEquals(new String(garbage, StandardCharsets.UTF_8),
                        new String(letter.value(), StandardCharsets.UTF_8), "the record as it came");
                assertEquals(test.topics().logins(), header(letter, "__streams.errors.topic"));
                assertTrue(header(letter, "__streams.errors.exception").contains("MalformedRecordException"),
                        header(letter, "__streams.errors.exception"));
                assertEquals(1, status.awaitAtLeast(1, Duration.ofSeconds(60)).size(), "the next login counted");
            }
        }
    }

    static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

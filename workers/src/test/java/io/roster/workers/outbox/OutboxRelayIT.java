package io.roster.workers.outbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.roster.persistence.Database;
import io.roster.persistence.Outbox;
import io.roster.persistence.Tx;
import io.roster.testsupport.Sql;
import io.roster.testsupport.TestEnv;
import io.roster.testsupport.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

/**
 * The relay over a real broker and database: rows of one change and rows carrying a transaction's many changes are
 * published whole, in order, each record once, with their event ids; a round takes whole rows only.
 */
class OutboxRelayIT {

    @Test
    void publishesSingleAndBatchRowsInOrderAndDeletesThemWhole() throws Exception {
        TestEnv env = TestEnv.create("relay");
        try (var pool = Database.pool(env.db(), "test");
             var producer = new KafkaProducer<String, byte[]>(env.kafka().producer("relay-test"))) {
            String key = "user-1";
            List<Outbox.Entry> batch = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                batch.add(Outbox.Entry.change(UUID.randomUUID(), key, "{\"n\":" + (i + 1) + ",\"é\":\"ü\"}",
                        "{\"state\":" + (i + 1) + "}"));
            }
            batch.set(2, batch.get(2).withMail("{\"mail\":3}"));
            batch.set(4, Outbox.Entry.removal(batch.get(4).eventId(), key, "{\"n\":5}"));
            Outbox.Entry first = Outbox.Entry.change(UUID.randomUUID(), key, "{\"n\":0}", "{\"state\":0}");
            Outbox.Entry last = Outbox.Entry.change(UUID.randomUUID(), key, "{\"n\":6}", "{\"state\":6}");
            Tx.run(pool, c -> {
                Outbox.append(c, List.of(first));
                Outbox.append(c, batch);
                Outbox.append(c, List.of(last));
                return null;
            });
            assertEquals(3, Sql.count(pool, "SELECT count(*) FROM outbox"));

            // a limit of 2 entries: the first row, then the whole batch of 5 (never part of a row), then the last
            OutboxRelay relay = new OutboxRelay(pool, producer, env.topics(), 2, Duration.ofMillis(10));
            try (var c = pool.getConnection()) {
                c.setAutoCommit(true);
                assertEquals(1, relay.relayOnce(c));
                assertEquals(5, relay.relayOnce(c));
                assertEquals(1, relay.relayOnce(c));
                assertEquals(0, relay.relayOnce(c));
            }
            assertEquals(0, Sql.count(pool, "SELECT count(*) FROM outbox"));

            List<Outbox.Entry> all = new ArrayList<>();
            all.add(first);
            all.addAll(batch);
            all.add(last);
            try (TopicReader changes = new TopicReader(env.kafka().bootstrapServers(), env.topics().userChanges());
                 TopicReader users = new TopicReader(env.kafka().bootstrapServers(), env.topics().users());
                 TopicReader mail = new TopicReader(env.kafka().bootstrapServers(), env.topics().mail())) {
                List<ConsumerRecord<String, byte[]>> events = changes.awaitAtLeast(7, Duration.ofSeconds(30));
                List<ConsumerRecord<String, byte[]>> states = users.awaitAtLeast(7, Duration.ofSeconds(30));
                assertEquals(7, events.size());
                assertEquals(7, states.size());
                for (int i = 0; i < all.size(); i++) {
                    Outbox.Entry entry = all.get(i);
                    assertEquals(entry.change(), text(events.get(i).value()));
                    assertEquals(key, events.get(i).key());
                    assertArrayEquals(entry.eventId().toString().getBytes(StandardCharsets.UTF_8),
                            events.get(i).headers().lastHeader("roster.event-id").value());
                    if (entry.tombstone()) {
                        assertNull(states.get(i).value());
                    } else {
                        assertEquals(entry.snapshot(), text(states.get(i).value()));
                    }
                }
                List<ConsumerRecord<String, byte[]>> mails = mail.awaitAtLeast(1, Duration.ofSeconds(30));
                assertEquals(1, mails.size());
                assertEquals("{\"mail\":3}", text(mails.get(0).value()));
            }
        }
    }

    private static String text(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }
}

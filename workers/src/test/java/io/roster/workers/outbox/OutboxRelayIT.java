package io.roster.workers.outbox;

import io.roster.contracts.event.UserChangeEvent;
import io.roster.contracts.event.UserSnapshot;
import io.roster.contracts.event.UserUpdated;
import io.roster.contracts.serde.Json;
import io.roster.contracts.user.Role;
import io.roster.contracts.user.UserStatus;
import java.time.Instant;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.roster.persistence.Database;
import io.roster.persistence.Outbox;
import io.roster.persistence.Tx;
import io.roster.testsupport.Sql;
import io.roster.testsupport.TestEnv;
import io.roster.testsupport.TopicReader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The relay over a real broker and database: rows of one change and rows carrying a transaction's many changes are
 * published whole, in order, each record once, with their event ids; a round takes whole rows only. The running
 * relay ({@code run()}): rows stay until acknowledged, a failure between the acknowledgement and the delete re-sends
 * the same ids, one relay of two publishes and the standby takes over when the active one's session dies.
 */
class OutboxRelayIT {

    @Test
    void publishesSingleAndBatchRowsInOrderAndDeletesThemWhole() throws Exception {
        TestEnv env = TestEnv.create("relay");
        try (var pool = Database.pool(env.db(), "test");
             var producer = new KafkaProducer<String, byte[]>(env.kafka().producer("relay-test"))) {
            String key = UUID.randomUUID().toString();
            List<Outbox.Entry> batch = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                UUID id = UUID.randomUUID();
                batch.add(Outbox.Entry.change(id, key, change(id, key, i + 1), snapshot(key, i + 1)));
            }
            batch.set(2, batch.get(2).withMail("{\"mail\":3}"));
            batch.set(4, Outbox.Entry.removal(batch.get(4).eventId(), key, change(batch.get(4).eventId(), key, 5)));
            UUID firstId = UUID.randomUUID();
            UUID lastId = UUID.randomUUID();
            Outbox.Entry first = Outbox.Entry.change(firstId, key, change(firstId, key, 0), snapshot(key, 0));
            Outbox.Entry last = Outbox.Entry.change(lastId, key, change(lastId, key, 6), snapshot(key, 6));
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
                    // the CloudEvents Kafka binding, structured mode (TopicReader has had the SDK read each one)
                    assertEquals("application/cloudevents+json",
                            text(events.get(i).headers().lastHeader("content-type").value()));
                    // when its transaction committed (the test database tracks commit timestamps)
                    Instant committedAt = Instant.parse(text(events.get(i).headers()
                            .lastHeader(OutboxRelay.COMMITTED_AT).value()));
                    assertTrue(committedAt.isAfter(Instant.now().minusSeconds(120)) && !committedAt.isAfter(
                            Instant.ofEpochMilli(events.get(i).timestamp())), committedAt.toString());
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

    /**
     * Fault: every send fails (the broker never acknowledges). Bug it catches: deleting the rows before the
     * acknowledgements arrive, which would lose them.
     */
    @Test
    void rowsStayUntilTheBrokerHasAcknowledgedThem() throws Exception {
        TestEnv env = TestEnv.create("relaynoack");
        try (var pool = Database.pool(env.db(), "test");
             var producer = new KafkaProducer<String, byte[]>(env.kafka().producer("relay-test"))) {
            List<UUID> ids = append(pool, 3);
            AtomicBoolean failing = new AtomicBoolean(true);
            OutboxRelay relay = new OutboxRelay(pool, failingWhile(producer, failing), env.topics(), 100,
                    Duration.ofMillis(10));
            try (var c = pool.getConnection()) {
                c.setAutoCommit(true);
                assertThrows(IllegalStateException.class, () -> relay.relayOnce(c));
                assertEquals(3, Sql.count(pool, "SELECT count(*) FROM outbox"), "nothing deleted without its ack");
                failing.set(false);
                assertEquals(3, relay.relayOnce(c));
            }
            assertEquals(0, Sql.count(pool, "SELECT count(*) FROM outbox"));
            try (TopicReader changes = new TopicReader(env.kafka().bootstrapServers(), env.topics().userChanges())) {
                Map<String, Long> published = perEventId(changes.awaitAtLeast(3, Duration.ofSeconds(30)));
                ids.forEach(id -> assertEquals(1L, published.get(id.toString()), "published once: " + id));
            }
        }
    }

    /**
     * Fault: the relay's connection is lost right after the broker acknowledged a batch, before the rows' delete
     * (as when the worker dies there). The running relay reconnects and publishes the batch again with the same event
     * ids: nothing is lost, the repeat is recognisable by its id, and nothing else is repeated.
     */
    @Test
    void aFailureBetweenTheAckAndTheDeleteRepublishesTheSameEventIds() throws Exception {
        TestEnv env = TestEnv.create("relaycrash");
        try (var pool = Database.pool(env.db(), "test");
             var producer = new KafkaProducer<String, byte[]>(env.kafka().producer("relay-test"))) {
            List<UUID> first = append(pool, 4);
            AtomicInteger deletesToFail = new AtomicInteger(1);
            DataSource losing = losingConnectionOnDelete(pool, deletesToFail);
            OutboxRelay relay = new OutboxRelay(losing, producer, env.topics(), 100, Duration.ofMillis(10));
            Thread thread = new Thread(relay, "relay");
            thread.start();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        Sql.count(pool, "SELECT count(*) FROM outbox") == 0);
                assertEquals(0, deletesToFail.get(), "the delete failed once");
                List<UUID> second = append(pool, 2);
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        Sql.count(pool, "SELECT count(*) FROM outbox") == 0);
                try (TopicReader changes = new TopicReader(env.kafka().bootstrapServers(),
                        env.topics().userChanges())) {
                    Map<String, Long> published = perEventId(changes.awaitAtLeast(10, Duration.ofSeconds(30)));
                    first.forEach(id -> assertEquals(2L, published.get(id.toString()), "re-sent once: " + id));
                    second.forEach(id -> assertEquals(1L, published.get(id.toString()), "sent once: " + id));
                    assertEquals(6, published.size());
                }
            } finally {
                relay.stop();
                thread.join(10_000);
            }
        }
    }

    /**
     * Two relays on one schema (two worker instances): only the one holding the advisory lock publishes, each row
     * once; when its database session dies, the standby takes over. Bug it catches: a lock that is always granted
     * (both active, rows published twice).
     */
    @Test
    void oneRelayPublishesAndAStandbyTakesOverWhenItsSessionDies() throws Exception {
        TestEnv env = TestEnv.create("relaystandby");
        try (var pool = Database.pool(env.db(), "test");
             var producer = new KafkaProducer<String, byte[]>(env.kafka().producer("relay-test"))) {
            AtomicBoolean aLost = new AtomicBoolean();
            AtomicBoolean bLost = new AtomicBoolean();
            OutboxRelay a = new OutboxRelay(unreachableWhile(pool, aLost), producer, env.topics(), 2,
                    Duration.ofMillis(5));
            OutboxRelay b = new OutboxRelay(unreachableWhile(pool, bLost), producer, env.topics(), 2,
                    Duration.ofMillis(5));
            Thread ta = new Thread(a, "relay-a");
            Thread tb = new Thread(b, "relay-b");
            ta.start();
            tb.start();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> a.active() || b.active());
                List<UUID> ids = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    ids.addAll(append(pool, 5));
                    assertFalse(a.active() && b.active(), "two relays active at once");
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> Sql.count(pool, "SELECT count(*) FROM outbox") == 0);
                OutboxRelay first = a.active() ? a : b;
                OutboxRelay standby = first == a ? b : a;
                assertFalse(standby.active());

                // the active relay's host is cut off from the database: its session dies, it cannot reconnect
                (first == a ? aLost : bLost).set(true);
                Sql.count(pool, "SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' "
                        + "AND granted AND pid <> pg_backend_pid()");
                await().atMost(Duration.ofSeconds(30)).until(() -> standby.active() && !first.active());
                (first == a ? aLost : bLost).set(false);
                ids.addAll(append(pool, 7));
                await().atMost(Duration.ofSeconds(30)).until(() -> Sql.count(pool, "SELECT count(*) FROM outbox") == 0);
                assertFalse(a.active() && b.active(), "two relays active at once");

                try (TopicReader changes = new TopicReader(env.kafka().bootstrapServers(),
                        env.topics().userChanges())) {
                    Map<String, Long> published = perEventId(changes.awaitAtLeast(ids.size(), Duration.ofSeconds(30)));
                    assertEquals(ids.size(), published.size());
                    ids.forEach(id -> assertEquals(1L, published.get(id.toString()), "published once: " + id));
                }
            } finally {
                a.stop();
                b.stop();
                ta.join(10_000);
                tb.join(10_000);
            }
        }
    }

    /** Appends {@code n} one-change rows for one user, in one transaction. */
    private static List<UUID> append(DataSource pool, int n) {
        List<Outbox.Entry> entries = new ArrayList<>();
        String key = UUID.randomUUID().toString();
        for (int i = 0; i < n; i++) {
            UUID id = UUID.randomUUID();
            entries.add(Outbox.Entry.change(id, key, change(id, key, i), snapshot(key, i)));
        }
        Tx.run(pool, c -> {
            for (Outbox.Entry entry : entries) {
                Outbox.append(c, List.of(entry));
            }
            return null;
        });
        return entries.stream().map(Outbox.Entry::eventId).toList();
    }

    static final UUID ORG = UUID.randomUUID();
    static final Instant AT = Instant.parse("2026-12-01T00:00:00Z");

    /** The n-th edit of user {@code key}'s profile, as the outbox holds it (names outside ASCII too). */
    static String change(UUID eventId, String key, int n) {
        return Json.writeString(UserChangeEvent.of(eventId, AT, new UserUpdated(UUID.fromString(key), ORG, "Zoë",
                "Ünal " + n, Role.User, null, List.of(), AT, null)));
    }

    /** User {@code key}'s state after its n-th edit. */
    static String snapshot(String key, int n) {
        return Json.writeString(new UserSnapshot(UUID.fromString(key), ORG, key + "@relay.example", "Zoë",
                "Ünal " + n, Role.User, null, List.of(), UserStatus.pending, null, AT, AT));
    }

    private static Map<String, Long> perEventId(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().collect(Collectors.groupingBy(
                r -> text(r.headers().lastHeader("roster.event-id").value()), Collectors.counting()));
    }

    /** The producer, but every send fails (never acknowledged) while {@code failing} is set. */
    @SuppressWarnings("unchecked")
    private static Producer<String, byte[]> failingWhile(Producer<String, byte[]> producer, AtomicBoolean failing) {
        return (Producer<String, byte[]>) Proxy.newProxyInstance(Producer.class.getClassLoader(),
                new Class<?>[] {Producer.class}, (proxy, method, args) -> {
                    if (method.getName().equals("send") && failing.get()) {
                        return CompletableFuture.failedFuture(new TimeoutException("no acknowledgement"));
                    }
                    return invoke(producer, method, args);
                });
    }

    /** The pool, but no connection can be had while {@code lost} is set. */
    private static DataSource unreachableWhile(DataSource pool, AtomicBoolean lost) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection") && lost.get()) {
                        throw new SQLException("the database cannot be reached", "08001");
                    }
                    return invoke(pool, method, args);
                });
    }

    /** The pool, but its connections are lost when they delete outbox rows, {@code times} times. */
    private static DataSource losingConnectionOnDelete(DataSource pool, AtomicInteger times) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(pool, method, args);
                    if (!method.getName().equals("getConnection")) {
                        return result;
                    }
                    Connection connection = (Connection) result;
                    return Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                            (p, m, a) -> {
                                if (m.getName().equals("prepareStatement") && a[0] instanceof String sql
                                        && sql.startsWith("DELETE FROM outbox") && times.get() > 0
                                        && times.getAndDecrement() > 0) {
                                    throw new SQLException("connection lost", "08006");
                                }
                                return invoke(connection, m, a);
                            });
                });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static String text(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }
}

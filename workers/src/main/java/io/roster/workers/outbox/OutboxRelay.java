package io.roster.workers.outbox;

import io.cloudevents.core.format.EventFormat;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.roster.contracts.Topics;
import io.roster.persistence.Outbox;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the outbox: reads committed entries in id order, sends each one's records (its change event to
 * user-changes, the user's state or a tombstone to users, a mail to mail) keyed as written, waits until Kafka has acknowledged all of them, then deletes them.
 *
 * <p>Guarantees: nothing committed is lost (an entry is deleted only after its acknowledgement); order per key
 * holds (one active relay per schema, elected by a PostgreSQL advisory lock, idempotent producer, entries of one
 * user committed in order); a crash between acknowledgement and delete re-sends the same event ids. Standby
 * relays in other worker instances take over when the active one's connection dies.
 */
public final class OutboxRelay implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    private static final String LOCK = "SELECT pg_try_advisory_lock(hashtext('roster-outbox-relay:' || current_schema()))";

    /** The header that carries the event id the change was committed with, on the change and the snapshot. */
    public static final String EVENT_ID = "roster.event-id";
    /** The header that says when the change was committed in PostgreSQL (absent where it keeps no commit times). */
    public static final String COMMITTED_AT = "roster.committed-at";
    private static final EventFormat CLOUD_EVENTS_JSON = new JsonFormat();

    private final DataSource dataSource;
    private final Producer<String, byte[]> producer;
    private final Topics topics;
    private final int batchSize;
    private final Duration idle;
    private volatile boolean running = true;
    private volatile boolean active;
    private final java.util.concurrent.atomic.AtomicLong published = new java.util.concurrent.atomic.AtomicLong();

    public OutboxRelay(DataSource dataSource, Producer<String, byte[]> producer, Topics topics, int batchSize,
                       Duration idle) {
        this.dataSource = dataSource;
        this.producer = producer;
        this.topics = topics;
        this.batchSize = batchSize;
        this.idle = idle;
    }

    @Override
    public void run() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                if (!tryLock(connection)) {
                    active = false;
                    pause(Duration.ofSeconds(1));
                    continue;
                }
                active = true;
                LOG.info("Outbox relay active");
                try {
                    while (running) {
                        if (relayOnce(connection) == 0) {
                            pause(idle);
                        }
                    }
                } finally {
                    unlock(connection);
                }
            } catch (SQLException | RuntimeException e) {
                active = false;
                if (running) {
                    LOG.warn("Outbox relay failed, restarting in 1 s: {}", io.roster.workers.consume.Failures.describe(e));
                    pause(Duration.ofSeconds(1));
                }
            }
        }
    }

    /** Publishes one batch. @return how many entries were published */
    public int relayOnce(Connection connection) throws SQLException {
        List<Outbox.Entry> entries = Outbox.oldest(connection, batchSize);
        if (entries.isEmpty()) {
            return 0;
        }
        // the header of each row's commit time, formatted once per row (a chunk's row carries a thousand entries)
        Map<Long, byte[]> committed = new HashMap<>();
        Outbox.committedAt(connection, entries).forEach((row, at) ->
                committed.put(row, at.toString().getBytes(StandardCharsets.UTF_8)));
        List<Future<RecordMetadata>> acks = new ArrayList<>(entries.size() * 2);
        for (Outbox.Entry entry : entries) {
            byte[] eventId = entry.eventId().toString().getBytes(StandardCharsets.UTF_8);
            byte[] committedAt = committed.get(entry.id());
            if (entry.change() != null) {
                // the CloudEvents Kafka binding, structured mode: the event in the JSON format as the value, its
                // content-type header application/cloudevents+json (the SDK writes both)
                ProducerRecord<String, byte[]> record = KafkaMessageFactory.createWriter(topics.userChanges(),
                        entry.key()).setEvent(CLOUD_EVENTS_JSON, utf8(entry.change()));
                addHeaders(record.headers(), eventId, committedAt);
                acks.add(producer.send(record));
            }
            if (entry.snapshot() != null || entry.tombstone()) {
                RecordHeaders headers = new RecordHeaders();
                addHeaders(headers, eventId, committedAt);
                acks.add(producer.send(new ProducerRecord<>(topics.users(), null, entry.key(), utf8(entry.snapshot()),
                        headers)));
            }
            if (entry.mail() != null) {
                // a mail carries its own message id, by which the mailer sends it once
                acks.add(producer.send(new ProducerRecord<>(topics.mail(), entry.key(), utf8(entry.mail()))));
            }
        }
        producer.flush();
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing the outbox", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("publishing the outbox failed", e.getCause());
        }
        Outbox.delete(connection, entries);
        published.addAndGet(entries.size());
        return entries.size();
    }

    /**
     * The event id and, where PostgreSQL tracks commit times, when the change was committed (for lag and latency).
     */
    private static void addHeaders(org.apache.kafka.common.header.Headers headers, byte[] eventId, byte[] committedAt) {
        headers.add(EVENT_ID, eventId);
        if (committedAt != null) {
            headers.add(COMMITTED_AT, committedAt);
        }
    }

    private static byte[] utf8(String value) {
        return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean tryLock(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(LOCK); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static void unlock(Connection connection) {
        // the pooled connection outlives this relay: give the lock back so a standby can take over
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock_all()")) {
            ps.execute();
        } catch (SQLException e) {
            LOG.debug("Could not release the relay lock; it goes with the connection", e);
        }
    }

    private void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Entries this relay published (acknowledged by the broker) since it started. */
    public long published() {
        return published.get();
    }

    /** Whether this instance holds the relay lock right now (the others are standing by). */
    public boolean active() {
        return active;
    }

    public void stop() {
        running = false;
    }
}

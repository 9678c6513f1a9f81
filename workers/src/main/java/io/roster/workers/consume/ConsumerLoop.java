package io.roster.workers.consume;

import io.roster.contracts.serde.Json;
import io.roster.contracts.serde.MalformedRecordException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop of one worker thread: reads JSON records of one contract type and hands each to a handler that
 * commits its effects in PostgreSQL; only then is the offset committed (after each polled batch, and on
 * revocation). A crash between the two re-delivers the record, which the handler recognises as applied.
 *
 * <p>Failures are told apart by {@link Failures}: unreadable records (bad JSON, unknown type) and records that fail
 * in a way that will repeat (a NUL byte PostgreSQL refuses, a constraint, a bug) are reported to the handler
 * ({@link Handler#failed}: a job records the chunk's rows as failed), sent to the dead-letter topic with the error,
 * source topic, partition and offset, and committed past, so the partition's other records (other tenants' jobs)
 * go on. Transient failures (a lost connection, a deadlock, the broker away) rewind to the failed record and retry
 * after a growing back-off (at most 10 s), polling meanwhile so that the loop keeps its partitions.
 */
public final class ConsumerLoop<T> implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);

    /** Applies one record; throws {@link FatalRecordException} for a record that can never apply. */
    @FunctionalInterface
    public interface Handler<T> {
        /** @return true when applied now, false when it had been applied before (a re-delivery) */
        boolean apply(T value);

        /**
         * Called when {@link #apply} failed in a way that will repeat, before the record is dead-lettered: record
         * the failure where its requester sees it. A transient failure of this call retries the record; any other
         * is logged and the record is dead-lettered all the same.
         *
         * @param reason what went wrong, without the data it was about ({@link Failures#describe})
         */
        default void failed(T value, String reason) {
        }
    }

    /**
     * A handler that sees a poll's records together: it looks them up at once before applying them one by one, and
     * may hold back part of their effects until just before their offsets are committed.
     */
    public interface BatchHandler<T> extends Handler<T> {
        /**
         * Called with a poll's readable values before the first of them is applied. A failure retries the poll's
         * records after a back-off, as a failed {@link #apply} does.
         */
        void beforeBatch(List<T> values);

        /**
         * Called before the offsets of applied records are committed: whatever {@link #apply} held back must be
         * durable when this returns. A failure leaves the offsets uncommitted (the records come again after a
         * crash) and is retried before the next commit.
         */
        void beforeCommit();
    }

    /** Called after a record's transaction committed and before its offset is committed. */
    @FunctionalInterface
    public interface AfterApply<T> {
        void applied(T value);

        static <T> AfterApply<T> none() {
            return value -> { };
        }
    }

    private final Consumer<String, byte[]> consumer;
    private final List<String> topics;
    private final Class<T> type;
    private final Handler<T> handler;
    private final DeadLetters deadLetters;
    private final AfterApply<? super T> afterApply;
    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
    private volatile boolean running = true;
    private volatile boolean healthy = true;
    private volatile String problem;
    private volatile long lastPollNanos = System.nanoTime();
    private volatile int assigned;
    private volatile boolean stopped;
    private Duration backoff = Duration.ofMillis(100);

    public ConsumerLoop(Consumer<String, byte[]> consumer, List<String> topics, Class<T> type, Handler<T> handler,
                        DeadLetters deadLetters, AfterApply<? super T> afterApply) {
        this.consumer = consumer;
        this.topics = List.copyOf(topics);
        this.type = type;
        this.handler = handler;
        this.deadLetters = deadLetters;
        this.afterApply = afterApply;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(topics, new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    commitPending();
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    // positions come from the committed offsets
                    assigned = consumer.assignment().size();
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    assigned = 0;
                }
            });
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                lastPollNanos = System.nanoTime();
                assigned = consumer.assignment().size();
                processBatch(records);
                commitPending();
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
            commitPending();
        } finally {
            stopped = true;
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void processBatch(ConsumerRecords<String, byte[]> records) {
        Map<ConsumerRecord<String, byte[]>, Object> read = new IdentityHashMap<>();
        if (handler instanceof BatchHandler<T> batches && !records.isEmpty()) {
            List<T> readable = new ArrayList<>(records.count());
            for (ConsumerRecord<String, byte[]> record : records) {
                Object value = read(record);
                read.put(record, value);
                if (!(value instanceof MalformedRecordException)) {
                    readable.add(type.cast(value));
                }
            }
            try {
                batches.beforeBatch(readable);
            } catch (RuntimeException e) {
                unhealthy("a batch could not be prepared: " + Failures.describe(e));
                LOG.warn("A batch of {} records could not be prepared, will retry in {} ms: {}", records.count(),
                        backoff.toMillis(), e.toString());
                rewind(records);
                return;
            }
        }
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                if (!process(record, read.containsKey(record) ? read.get(record) : read(record))) {
                    rewind(records);
                    return;
                }
                pending.put(partition, new OffsetAndMetadata(record.offset() + 1));
            }
        }
        healthy = true;
        backoff = Duration.ofMillis(100);
    }

    /** The record's value, or the {@link MalformedRecordException} of reading it. */
    private Object read(ConsumerRecord<String, byte[]> record) {
        try {
            return Json.read(record.value() == null ? new byte[0] : record.value(), type);
        } catch (MalformedRecordException e) {
            return e;
        }
    }

    /**
     * @param read the record's value, or the {@link MalformedRecordException} of reading it
     * @return false when the record failed transiently and must be retried
     */
    private boolean process(ConsumerRecord<String, byte[]> record, Object read) {
        if (read instanceof MalformedRecordException e) {
            LOG.warn("Dead-lettering unreadable record {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            deadLetters.send(record, "MalformedRecordException: " + e.getMessage());
            return true;
        }
        T value = type.cast(read);
        try {
            if (handler.apply(value)) {
                afterApply.applied(value);
            } else {
                LOG.debug("Record {}-{}@{} was applied before; skipped", record.topic(), record.partition(),
                        record.offset());
            }
            return true;
        } catch (RuntimeException e) {
            String reason = Failures.describe(e);
            if (Failures.isTransient(e)) {
                unhealthy("retrying " + record.topic() + "-" + record.partition() + "@" + record.offset() + ": " + reason);
                LOG.warn("Record {}-{}@{} failed, will retry in {} ms: {}", record.topic(), record.partition(),
                        record.offset(), backoff.toMillis(), reason);
                return false;
            }
            LOG.warn("Record {}-{}@{} can never apply, reporting and dead-lettering it: {}", record.topic(),
                    record.partition(), record.offset(), reason);
            try {
                handler.failed(value, reason);
            } catch (RuntimeException f) {
                if (Failures.isTransient(f)) {
                    unhealthy("could not record a failure: " + Failures.describe(f));
                    LOG.warn("Could not record the failure of {}-{}@{}, will retry in {} ms: {}", record.topic(),
                            record.partition(), record.offset(), backoff.toMillis(), Failures.describe(f));
                    return false;
                }
                LOG.warn("Could not record the failure of {}-{}@{}: {}", record.topic(), record.partition(),
                        record.offset(), Failures.describe(f));
            }
            deadLetters.send(record, reason);
            return true;
        }
    }

    /** Rewinds every partition of the batch to its first unprocessed record, then backs off. */
    private void rewind(ConsumerRecords<String, byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            OffsetAndMetadata done = pending.get(partition);
            long first = records.records(partition).get(0).offset();
            consumer.seek(partition, done == null ? first : Math.max(first, done.offset()));
        }
        commitPending();
        try {
            Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Duration doubled = backoff.multipliedBy(2);
        backoff = doubled.compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10) : doubled;
    }

    private void commitPending() {
        if (pending.isEmpty()) {
            return;
        }
        try {
            if (handler instanceof BatchHandler<T> batches) {
                batches.beforeCommit();
            }
        } catch (RuntimeException e) {
            unhealthy("offsets held back: " + Failures.describe(e));
            LOG.warn("Offsets stay uncommitted until what was applied is durable: {}", Failures.describe(e));
            return;
        }
        consumer.commitSync(Map.copyOf(pending));
        pending.clear();
    }

    /** Whether the last batch went through without transient failures. */
    public boolean healthy() {
        return healthy;
    }

    private void unhealthy(String why) {
        problem = why;
        healthy = false;
    }

    /** Longest time between two polls a running loop may take before it is reported DOWN (Kafka's default max.poll.interval.ms). */
    static final Duration POLL_OVERDUE = Duration.ofMinutes(5);

    /**
     * This loop as a health check: DOWN when it stopped, when its last batch failed transiently (the reason), or when
     * it has not polled for {@link #POLL_OVERDUE}; the detail names its topics, its partitions and its last poll.
     */
    public io.roster.platform.Health.Check check() {
        double since = (System.nanoTime() - lastPollNanos) / 1e9;
        String state = String.format(java.util.Locale.ROOT, "%s: %d partition(s) assigned, last poll %.1f s ago",
                String.join(",", topics), assigned, since);
        if (stopped) {
            return io.roster.platform.Health.Check.down(String.join(",", topics) + ": stopped");
        }
        if (!healthy) {
            return io.roster.platform.Health.Check.down(state + "; " + problem);
        }
        if (since > POLL_OVERDUE.toSeconds()) {
            return io.roster.platform.Health.Check.down(state + "; no poll for longer than " + POLL_OVERDUE);
        }
        return io.roster.platform.Health.Check.up(state);
    }

    /** Stops after the current record, committing what was applied. */
    public void stop() {
        running = false;
        consumer.wakeup();
    }
}

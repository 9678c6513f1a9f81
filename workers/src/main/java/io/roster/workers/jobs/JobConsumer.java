package io.roster.workers.jobs;

import io.roster.contracts.job.InviteChunk;
import io.roster.contracts.job.JobCommand;
import io.roster.contracts.serde.Json;
import io.roster.contracts.serde.MalformedRecordException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
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
 * The poll loop of one worker thread on the job topics.
 *
 * <p>Consumes job chunks; for each, the matching {@link JobHandler} commits the chunk's effects in PostgreSQL,
 * and only then is the offset committed (after each polled batch, and on revocation). A crash between the two
 * re-delivers the chunk, which the handler recognises as applied. Produces nothing itself except dead letters:
 * unreadable records and chunks that can never apply go to the dead-letter topic and are committed past;
 * transient failures rewind to the failed record and retry after a back-off, without losing the group.
 */
public final class JobConsumer implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(JobConsumer.class);

    /** Called after a chunk's transaction committed and before its offset is committed. */
    @FunctionalInterface
    public interface AfterApply {
        AfterApply NONE = command -> { };

        void applied(JobCommand command);
    }

    private final Consumer<String, byte[]> consumer;
    private final List<String> topics;
    private final JobHandler<InviteChunk> inviteHandler;
    private final DeadLetters deadLetters;
    private final AfterApply afterApply;
    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
    private volatile boolean running = true;
    private volatile boolean healthy = true;
    private Duration backoff = Duration.ofMillis(100);

    public JobConsumer(Consumer<String, byte[]> consumer, List<String> topics, JobHandler<InviteChunk> inviteHandler,
                       DeadLetters deadLetters, AfterApply afterApply) {
        this.consumer = consumer;
        this.topics = List.copyOf(topics);
        this.inviteHandler = inviteHandler;
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
                }
            });
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                processBatch(records);
                commitPending();
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
            commitPending();
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void processBatch(ConsumerRecords<String, byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                if (!process(record)) {
                    // rewind every partition of this batch to its first unprocessed record, then back off
                    rewind(records);
                    return;
                }
                pending.put(partition, new OffsetAndMetadata(record.offset() + 1));
            }
        }
        healthy = true;
        backoff = Duration.ofMillis(100);
    }

    /** @return false when the record failed transiently and must be retried */
    private boolean process(ConsumerRecord<String, byte[]> record) {
        JobCommand command;
        try {
            command = Json.read(record.value() == null ? new byte[0] : record.value(), JobCommand.class);
        } catch (MalformedRecordException e) {
            LOG.warn("Dead-lettering unreadable record {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            deadLetters.send(record, e);
            return true;
        }
        try {
            boolean applied = dispatch(command);
            if (applied) {
                afterApply.applied(command);
            } else {
                LOG.debug("Chunk {} of job {} was applied before; skipped", command.chunkNo(), command.jobId());
            }
            return true;
        } catch (FatalRecordException e) {
            LOG.warn("Dead-lettering chunk {} of job {}: {}", command.chunkNo(), command.jobId(), e.getMessage());
            deadLetters.send(record, e);
            return true;
        } catch (RuntimeException e) {
            healthy = false;
            LOG.warn("Chunk {} of job {} failed, will retry in {} ms: {}", command.chunkNo(), command.jobId(),
                    backoff.toMillis(), e.toString());
            return false;
        }
    }

    private boolean dispatch(JobCommand command) {
        if (command instanceof InviteChunk invite) {
            return inviteHandler.apply(invite);
        }
        throw new FatalRecordException("no handler for " + command.getClass().getSimpleName(), null);
    }

    private void rewind(ConsumerRecords<String, byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            OffsetAndMetadata done = pending.get(partition);
            long first = records.records(partition).get(0).offset();
            long next = done == null ? first : Math.max(first, done.offset());
            consumer.seek(partition, next);
        }
        commitPending();
        try {
            Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10)
                : backoff.multipliedBy(2);
    }

    private void commitPending() {
        if (pending.isEmpty()) {
            return;
        }
        consumer.commitSync(Map.copyOf(pending));
        pending.clear();
    }

    /** Whether the last batch went through without transient failures. */
    public boolean healthy() {
        return healthy;
    }

    /** Stops after the current record, committing what was applied. */
    public void stop() {
        running = false;
        consumer.wakeup();
    }
}

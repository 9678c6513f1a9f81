package io.roster.workers.admin;

import io.roster.platform.KafkaSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Lists the dead-letter topic and replays chosen dead letters to where they came from, once their cause is fixed.
 * Reads the dead letters of both kinds: the workers' and the mailer's ({@code roster.dlq.*} headers) and the status
 * topology's (Kafka Streams' own, {@code __streams.errors.*}). A dead letter is named by its place in the
 * dead-letter topic, {@code partition:offset}.
 */
public final class DeadLetterAdmin {

    /** The header a replayed record carries: the dead letter it came back from. */
    public static final String REPLAYED_FROM = "roster.dlq.replayed-from";

    /** One dead letter: where it is, where it came from, who gave up on it and why. */
    public record Letter(int partition, long offset, Instant at, String key, String sourceTopic,
                         Integer sourcePartition, Long sourceOffset, String consumer, String error,
                         ConsumerRecord<String, byte[]> record) {

        public String id() {
            return partition + ":" + offset;
        }

        static Letter of(ConsumerRecord<String, byte[]> record) {
            boolean streams = header(record, "__streams.errors.topic") != null;
            String topic = streams ? header(record, "__streams.errors.topic") : header(record, "roster.dlq.topic");
            String partition = header(record, streams ? "__streams.errors.partition" : "roster.dlq.partition");
            String offset = header(record, streams ? "__streams.errors.offset" : "roster.dlq.offset");
            String error = streams ? header(record, "__streams.errors.exception") + ": "
                    + header(record, "__streams.errors.message") : header(record, "roster.dlq.error");
            return new Letter(record.partition(), record.offset(), Instant.ofEpochMilli(record.timestamp()),
                    record.key(), topic, partition == null ? null : Integer.valueOf(partition),
                    offset == null ? null : Long.valueOf(offset),
                    streams ? "status topology" : header(record, "roster.dlq.consumer"), error, record);
        }
    }

    private final KafkaSettings kafka;

    public DeadLetterAdmin(KafkaSettings kafka) {
        this.kafka = kafka;
    }

    /** Every dead letter now in the topic, oldest first. */
    public List<Letter> list() {
        List<Letter> letters = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(kafka.topics().deadLetters()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    letters.add(Letter.of(record));
                }
            }
        }
        letters.sort(Comparator.comparing(Letter::at).thenComparing(Letter::partition).thenComparing(Letter::offset));
        return letters;
    }

    /**
     * Sends each named dead letter back to its source topic and partition, with its key, value and original
     * headers (not the dead-letter ones) and a {@link #REPLAYED_FROM} header: its consumer processes it again.
     *
     * @param ids dead letters as {@code partition:offset}
     * @return what was replayed, in the order named
     * @throws IllegalArgumentException for an id that is no dead letter in the topic or one without a source
     */
    public List<Letter> replay(List<String> ids) {
        Map<String, Letter> found = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            for (String id : ids) {
                String[] parts = id.split(":", -1);
                TopicPartition partition;
                long offset;
                try {
                    partition = new TopicPartition(kafka.topics().deadLetters(), Integer.parseInt(parts[0]));
                    offset = Long.parseLong(parts[1]);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("'" + id + "' is not a dead letter's partition:offset");
                }
                consumer.assign(List.of(partition));
                long end = consumer.endOffsets(List.of(partition)).get(partition);
                if (offset < 0 || offset >= end) {
                    throw new IllegalArgumentException("no dead letter " + id);
                }
                consumer.seek(partition, offset);
                ConsumerRecord<String, byte[]> record = null;
                while (record == null && consumer.position(partition) <= offset) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        if (r.offset() == offset) {
                            record = r;
                        }
                    }
                }
                if (record == null) {
                    throw new IllegalArgumentException("no dead letter " + id + " (deleted by retention?)");
                }
                Letter letter = Letter.of(record);
                if (letter.sourceTopic() == null || letter.sourcePartition() == null) {
                    throw new IllegalArgumentException("dead letter " + id + " does not say where it came from");
                }
                found.put(id, letter);
            }
        }
        List<Letter> replayed = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producer("roster-dlq-replay-"
                + UUID.randomUUID()))) {
            for (String id : ids) {
                Letter letter = found.get(id);
                RecordHeaders headers = new RecordHeaders();
                for (Header header : letter.record().headers()) {
                    if (!header.key().startsWith("roster.dlq.") && !header.key().startsWith("__streams.errors.")) {
                        headers.add(header);
                    }
                }
                headers.add(REPLAYED_FROM, id.getBytes(StandardCharsets.UTF_8));
                producer.send(new ProducerRecord<>(letter.sourceTopic(), letter.sourcePartition(), letter.key(),
                        letter.record().value(), headers)).get();
                replayed.add(letter);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("replaying failed: " + e.getCause().getMessage(), e.getCause());
        }
        return replayed;
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "roster-dlq-admin");
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

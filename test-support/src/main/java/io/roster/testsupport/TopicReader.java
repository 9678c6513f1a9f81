package io.roster.testsupport;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a whole topic from the beginning (read_committed), for assertions on what was published. Each record of a
 * public topic is checked against its contract as it is read ({@link EventContract}): every test that reads the
 * change or the snapshot topic validates every record it sees.
 */
public final class TopicReader implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    private int returned;

    public TopicReader(String bootstrapServers, String topic) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toList());
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /**
     * Polls until at least {@code count} records have been read in all (or fails after {@code timeout}); returns all
     * read so far, those an earlier call returned included.
     */
    public List<ConsumerRecord<String, byte[]>> awaitAtLeast(int count, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(20)).until(() -> {
            consumer.poll(Duration.ofMillis(100)).forEach(this::add);
            return records.size() >= count;
        });
        return List.copyOf(records);
    }

    /**
     * The records up to the current end of every partition that no earlier call returned: each record once, so
     * that a caller polling in a loop counts what arrived, never the same record twice.
     */
    public List<ConsumerRecord<String, byte[]>> readToEnd() {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> {
            consumer.poll(Duration.ofMillis(100)).forEach(this::add);
            return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
        });
        List<ConsumerRecord<String, byte[]>> fresh = List.copyOf(records.subList(returned, records.size()));
        returned = records.size();
        return fresh;
    }

    /** Keeps a record, checked first against the contract of its topic when it is a public one. */
    private void add(ConsumerRecord<String, byte[]> record) {
        EventContract.check(record);
        records.add(record);
    }

    @Override
    public void close() {
        consumer.close();
    }
}

package io.roster.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A local copy of one organization's users, kept from Roster's two public topics the way a downstream service
 * would:
 * <ul>
 * <li><b>state</b> from the compacted {@code roster.users.v1}: read from the beginning, it holds every user's
 * latest state (a deleted user's key ends with a tombstone); followed, it keeps the copy current. A user whose
 * state names another organization (transferred away) leaves the copy; a tombstone removes them.</li>
 * <li><b>what happened</b> from {@code roster.user-changes.v1}: CloudEvents read with the CloudEvents SDK's Kafka
 * binding, deduplicated by id (delivery is at least once: a re-delivered event has the same id and the same data),
 * handed to a listener once each, in commit order per user (records are keyed by user id).</li>
 * </ul>
 * Both topics are read in one consumer without a group: the copy is in memory, so each start reads the state anew.
 */
public final class UserDirectory implements Runnable, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Writes maps with their keys sorted: the same data, whatever the order of its fields, has one form. */
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String usersTopic;
    private final String changesTopic;
    private final String orgId;
    private final Consumer<CloudEvent> onChange;
    private final Map<String, JsonNode> users = new ConcurrentHashMap<>();
    /** Every event id seen, with a digest of its type and data: to drop re-deliveries and notice a changed one. */
    private final Map<String, String> seen = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong redelivered = new AtomicLong();
    private final AtomicLong conflicts = new AtomicLong();

    /**
     * @param topicPrefix the deployment's topic prefix ({@code roster.} by default)
     * @param orgId       the organization whose users to keep
     * @param onChange    told each change event once (of every organization: the events name theirs in data.orgId)
     */
    public UserDirectory(String bootstrapServers, String topicPrefix, String orgId, Consumer<CloudEvent> onChange) {
        this.usersTopic = topicPrefix + "users.v1";
        this.changesTopic = topicPrefix + "user-changes.v1";
        this.orgId = orgId;
        this.onChange = onChange;
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "roster-example-directory");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Reads both topics from the beginning and follows them until {@link #close}. */
    @Override
    public void run() {
        try {
            List<TopicPartition> partitions = new java.util.ArrayList<>();
            for (String topic : List.of(usersTopic, changesTopic)) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (true) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    apply(record);
                }
                for (TopicPartition partition : partitions) {
                    positions.put(partition, consumer.position(partition));
                }
            }
        } catch (WakeupException e) {
            // closed
        } finally {
            consumer.close();
        }
    }

    /** Applies one record of either topic to the copy. */
    void apply(ConsumerRecord<String, byte[]> record) {
        if (record.topic().equals(usersTopic)) {
            JsonNode state = record.value() == null ? null : read(record.value());
            if (state != null && orgId.equals(state.path("orgId").asText())) {
                users.put(record.key(), state);
            } else {
                users.remove(record.key()); // deleted, or (now) in another organization
            }
        } else if (record.topic().equals(changesTopic)) {
            CloudEvent event = KafkaMessageFactory.createReader(record).toEvent();
            String digest = digest(event);
            String before = seen.putIfAbsent(event.getId(), digest);
            if (before == null) {
                events.incrementAndGet();
                onChange.accept(event);
            } else if (before.equals(digest)) {
                redelivered.incrementAndGet();
            } else {
                conflicts.incrementAndGet();
            }
        }
    }

    /** The copy: user id to the user's latest state, as {@code roster.users.v1} carries it. */
    public Map<String, JsonNode> users() {
        return Map.copyOf(users);
    }

    /** Distinct change events handed to the listener. */
    public long events() {
        return events.get();
    }

    /** Change events delivered again (same id, same data): dropped. */
    public long redelivered() {
        return redelivered.get();
    }

    /** Change events whose id came again with other data: never expected, counted to prove it. */
    public long conflicts() {
        return conflicts.get();
    }

    /**
     * Whether this directory has read both topics up to {@code end} (each partition's end offset, as a caller took
     * them from the broker).
     */
    public boolean readUpTo(Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    @Override
    public void close() {
        consumer.wakeup();
    }

    private static String digest(CloudEvent event) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(event.getType().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            // the data as JSON, compared by value (not by the order of its fields)
            sha.update(CANONICAL.writeValueAsBytes(JSON.treeToValue(read(event.getData().toBytes()), Object.class)));
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

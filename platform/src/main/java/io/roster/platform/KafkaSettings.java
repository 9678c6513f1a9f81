package io.roster.platform;

import io.roster.contracts.Topics;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Where the Kafka cluster is and how Roster's clients talk to it.
 *
 * <p>Environment: {@code ROSTER_KAFKA_BOOTSTRAP_SERVERS} (default {@code 127.0.0.1:9092}),
 * {@code ROSTER_TOPIC_PREFIX} (default {@code roster.}), {@code ROSTER_TOPIC_PARTITIONS} (default 6),
 * {@code ROSTER_TOPIC_REPLICATION} (default 1), {@code ROSTER_KAFKA_COMPRESSION} (of what Roster produces: lz4 by
 * default; none, gzip, snappy or zstd).
 */
public record KafkaSettings(String bootstrapServers, Topics topics, int partitions, short replication,
                            String compression) {

    public KafkaSettings(String bootstrapServers, Topics topics, int partitions, short replication) {
        this(bootstrapServers, topics, partitions, replication, "lz4");
    }

    public static KafkaSettings from(Settings settings) {
        return new KafkaSettings(
                settings.string("ROSTER_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
                new Topics(settings.string("ROSTER_TOPIC_PREFIX", Topics.DEFAULT_PREFIX)),
                settings.integer("ROSTER_TOPIC_PARTITIONS", 6, 1, 1000),
                (short) settings.integer("ROSTER_TOPIC_REPLICATION", 1, 1, 7),
                settings.string("ROSTER_KAFKA_COMPRESSION", "lz4"));
    }

    /** Producer: idempotent, acks=all, ordered per partition; String keys, raw JSON values. */
    public Map<String, Object> producer(String clientId) {
        Map<String, Object> props = common(clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return props;
    }

    /**
     * A transactional producer: what it sends in one transaction becomes visible to read_committed consumers all at
     * once, or never (on abort, or when the sender dies and the transaction times out after 15 minutes).
     */
    public Map<String, Object> transactionalProducer(String clientId, String transactionalId) {
        Map<String, Object> props = producer(clientId);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 15 * 60 * 1000);
        return props;
    }

    /** Consumer: manual offset commits after the database commit, read_committed; String keys, raw values. */
    public Map<String, Object> consumer(String groupId, String clientId) {
        Map<String, Object> props = common(clientId);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return props;
    }

    private Map<String, Object> common(String clientId) {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        return props;
    }
}

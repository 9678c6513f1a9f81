package io.roster.streams.status;

import io.roster.contracts.Topics;
import io.roster.contracts.event.LoginSucceeded;
import io.roster.contracts.event.StatusChanged;
import io.roster.contracts.event.UserChangeEvent;
import io.roster.contracts.serde.JsonSerde;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;

/**
 * The status topology: {@code roster.logins.v1} and {@code roster.user-changes.v1} in (both keyed by user id, so
 * co-partitioned), status transitions out on {@code roster.user-status.v1}. State: {@link #USERS_STORE} (each
 * user's activity) and {@link #DUE_STORE} (active users by the time they fall due: keys only), both cached and
 * changelogged.
 * exactly_once_v2: a transition and the state change behind it commit together.
 */
public final class StatusTopology {

    public static final String USERS_STORE = "status-users";
    public static final String DUE_STORE = "status-due";

    private StatusTopology() {
    }

    public static Topology buildTopology(Topics topics, Duration inactivityPeriod, Duration checkInterval) {
        Topology topology = new Topology();
        topology.addSource("logins", Serdes.String().deserializer(), JsonSerde.of(LoginSucceeded.class),
                topics.logins());
        topology.addSource("user-changes", Serdes.String().deserializer(), JsonSerde.of(UserChangeEvent.class),
                topics.userChanges());
        topology.addProcessor("as-login", Upcast::new, "logins");
        topology.addProcessor("as-change", Upcast::new, "user-changes");
        topology.addProcessor("status", () -> new StatusProcessor(inactivityPeriod, checkInterval),
                "as-login", "as-change");
        // cached: repeated logins of one user between two commits reach RocksDB and the changelog once
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(USERS_STORE),
                Serdes.String(), new UserActivitySerde()).withCachingEnabled(), "status");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DUE_STORE),
                Serdes.Bytes(), Serdes.ByteArray()).withCachingEnabled(), "status");
        topology.addSink("transitions", topics.userStatus(), Serdes.String().serializer(),
                JsonSerde.of(StatusChanged.class), "status");
        return topology;
    }

    /**
     * @param applicationId the consumer group and state prefix; instances with the same id share the work
     * @param stateDir      where RocksDB keeps local state (restored from changelogs when lost)
     * @param deadLetters   the topic a record that cannot be processed goes to
     */
    public static Properties streamsConfig(String bootstrapServers, String applicationId, String stateDir,
                                           Duration commitInterval, String deadLetters) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        // a crashed instance's partitions move to the others after 15 s rather than the default 45 s
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 15_000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 3_000);
        // a record that does not deserialize, or whose processing fails, goes to the dead-letter topic (Kafka
        // Streams' own, KIP-1034: the record as it came, the exception, source topic, partition and offset in
        // __streams.errors.* headers) and is skipped, rather than stopping every user's status
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueProcessingExceptionHandler.class);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, deadLetters);
        return props;
    }

    /** Passes a typed record on as the processor's common input type. */
    private static final class Upcast<V> implements Processor<String, V, String, Object> {
        private ProcessorContext<String, Object> context;

        @Override
        public void init(ProcessorContext<String, Object> context) {
            this.context = context;
        }

        @Override
        public void process(Record<String, V> record) {
            context.forward(record.withValue(record.value()));
        }
    }
}

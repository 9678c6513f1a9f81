package io.roster.streams;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.roster.platform.AppMetrics;
import io.roster.platform.Health;
import io.roster.platform.OpsServer;
import io.roster.platform.Settings;
import io.roster.platform.TopicProvisioner;
import io.roster.streams.status.StatusTopology;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams app: runs {@link StatusTopology}; its operations port answers {@code GET /health} (the topology UP
 * while running or rebalancing, and the broker, each with its reason) and {@code GET /prometheus} (Kafka Streams'
 * own metrics through Micrometer's binder: punctuation latency per thread, records processed, dropped and
 * dead-lettered, the state stores' estimated keys, i.e. users tracked; and the JVM's). Start more instances with the
 * same application id to share the partitions.
 */
public final class StreamsApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsApp.class);

    private final KafkaStreams streams;
    private final OpsServer ops;
    private final AppMetrics metrics;
    private final KafkaStreamsMetrics streamsMetrics;

    private StreamsApp(KafkaStreams streams, OpsServer ops, AppMetrics metrics, KafkaStreamsMetrics streamsMetrics) {
        this.streams = streams;
        this.ops = ops;
        this.metrics = metrics;
        this.streamsMetrics = streamsMetrics;
    }

    public static StreamsApp start(Map<String, String> env) {
        StreamsConfigSettings config = StreamsConfigSettings.from(new Settings(env));
        TopicProvisioner.ensureTopics(config.kafka());
        KafkaStreams streams = new KafkaStreams(
                StatusTopology.buildTopology(config.kafka().topics(), config.inactivityPeriod(), config.checkInterval()),
                StatusTopology.streamsConfig(config.kafka().bootstrapServers(), config.applicationId(),
                        config.stateDir(), config.commitInterval(), config.kafka().topics().deadLetters()));
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("Status topology thread failed; replacing it", e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                    .REPLACE_THREAD;
        });
        AppMetrics metrics = new AppMetrics("streams", config.applicationId() + "-"
                + java.util.UUID.randomUUID().toString().substring(0, 8));
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(metrics.registry());
        streams.start();
        Health health = new Health()
                .with("topology", () -> topologyCheck(streams))
                .with("broker", metrics.brokerCheck(config.kafka().bootstrapServers()));
        OpsServer ops = OpsServer.start("0.0.0.0", config.healthPort(), health, metrics.registry());
        LOG.info("Status topology started (inactivity after {}, checked every {}), health and metrics on :{}",
                config.inactivityPeriod(), config.checkInterval(), ops.port());
        return new StreamsApp(streams, ops, metrics, streamsMetrics);
    }

    /** UP while running or rebalancing; the detail names the state and each stream thread's with its tasks. */
    static Health.Check topologyCheck(KafkaStreams streams) {
        KafkaStreams.State state = streams.state();
        StringBuilder detail = new StringBuilder(state.name());
        for (var thread : streams.metadataForLocalThreads()) {
            detail.append("; ").append(thread.threadName().replaceAll(".*-(StreamThread-\\d+)$", "$1")).append(' ')
                    .append(thread.threadState()).append(", ").append(thread.activeTasks().size()).append(" active task(s)")
                    .append(", ").append(thread.standbyTasks().size()).append(" standby");
        }
        return state.isRunningOrRebalancing() ? Health.Check.up(detail.toString())
                : Health.Check.down(detail.toString());
    }

    public KafkaStreams streams() {
        return streams;
    }

    public int healthPort() {
        return ops.port();
    }

    @Override
    public void close() {
        ops.close();
        // leave the group so that a restarted instance gets the partitions at once, not after the session timeout
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(10)));
        streamsMetrics.close();
        metrics.close();
        LOG.info("Status topology stopped");
    }

    public static void main(String[] args) {
        StreamsApp app = start(System.getenv());
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "streams-shutdown"));
    }
}

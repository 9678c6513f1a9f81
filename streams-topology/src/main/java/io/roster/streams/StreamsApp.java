package io.roster.streams;

import io.roster.platform.HealthServer;
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
 * The streams app: runs {@link StatusTopology} and answers {@code GET /health} (UP while running or rebalancing).
 * Start more instances with the same application id to share the partitions.
 */
public final class StreamsApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsApp.class);

    private final KafkaStreams streams;
    private final HealthServer health;

    private StreamsApp(KafkaStreams streams, HealthServer health) {
        this.streams = streams;
        this.health = health;
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
        streams.start();
        HealthServer health = HealthServer.start("0.0.0.0", config.healthPort(),
                () -> streams.state().isRunningOrRebalancing());
        LOG.info("Status topology started (inactivity after {}, checked every {}), health on :{}",
                config.inactivityPeriod(), config.checkInterval(), health.port());
        return new StreamsApp(streams, health);
    }

    public KafkaStreams streams() {
        return streams;
    }

    public int healthPort() {
        return health.port();
    }

    @Override
    public void close() {
        health.close();
        // leave the group so that a restarted instance gets the partitions at once, not after the session timeout
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(10)));
        LOG.info("Status topology stopped");
    }

    public static void main(String[] args) {
        StreamsApp app = start(System.getenv());
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "streams-shutdown"));
    }
}

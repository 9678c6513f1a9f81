package io.roster.streams;

import io.roster.platform.KafkaSettings;
import io.roster.platform.Settings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The streams app's settings. Environment, beside the Kafka settings: {@code ROSTER_INACTIVITY_PERIOD} (default
 * P30D), {@code ROSTER_STATUS_CHECK_INTERVAL} (default PT1M), {@code ROSTER_STREAMS_APPLICATION_ID} (default
 * {@code <topic prefix>status}), {@code ROSTER_STREAMS_STATE_DIR} (default {@code $ROSTER_DATA_DIR/streams} or a
 * temporary folder), {@code ROSTER_STREAMS_COMMIT_INTERVAL} (default PT1S), {@code ROSTER_STREAMS_HEALTH_PORT}
 * (default 8082; 0 for any free port).
 */
public record StreamsConfigSettings(KafkaSettings kafka, Duration inactivityPeriod, Duration checkInterval,
                                    String applicationId, String stateDir, Duration commitInterval, int healthPort) {

    public static StreamsConfigSettings from(Settings settings) {
        KafkaSettings kafka = KafkaSettings.from(settings);
        String dataDir = settings.string("ROSTER_DATA_DIR", null);
        String defaultState = dataDir != null ? Path.of(dataDir, "streams").toString()
                : Path.of(System.getProperty("java.io.tmpdir"), "roster-streams").toString();
        return new StreamsConfigSettings(kafka,
                settings.duration("ROSTER_INACTIVITY_PERIOD", Duration.ofDays(30)),
                settings.duration("ROSTER_STATUS_CHECK_INTERVAL", Duration.ofMinutes(1)),
                settings.string("ROSTER_STREAMS_APPLICATION_ID", kafka.topics().prefix().replace('.', '-') + "status"),
                settings.string("ROSTER_STREAMS_STATE_DIR", defaultState),
                settings.duration("ROSTER_STREAMS_COMMIT_INTERVAL", Duration.ofSeconds(1)),
                settings.integer("ROSTER_STREAMS_HEALTH_PORT", 8082, 0, 65535));
    }
}

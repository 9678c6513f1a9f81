package io.roster.gateway;

import io.roster.platform.Settings;
import java.time.Duration;

/**
 * The gateway's own settings, validated at start-up. Environment: {@code ROSTER_HTTP_HOST} (default 0.0.0.0),
 * {@code ROSTER_HTTP_PORT} (default 8080; 0 for any free port), {@code ROSTER_CHUNK_SIZE} (rows per chunk of an invite,
 * default 1000), {@code ROSTER_BULK_CHUNK_SIZE} (users per chunk of a bulk tag, delete or transfer, default 5000: a
 * chunk is one transaction, and its fixed costs shrink per user as it grows), {@code ROSTER_MAX_JSON_ROWS} (users in one JSON invite, default 10000),
 * {@code ROSTER_SESSION_TTL} (default PT12H), {@code ROSTER_ADMIN_EMAIL} (default admin@roster.local),
 * {@code ROSTER_ADMIN_PASSWORD} (generated and printed when unset), {@code ROSTER_ADMIN_ORG} (default Roster):
 * the first organization and its admin, created when the database has none; {@code ROSTER_MAX_TAGS_PER_ORG}
 * (default 500); {@code ROSTER_ORG_REQUESTS_PER_SECOND} (requests per organization and gateway instance, burst of
 * twice that, default 100); {@code ROSTER_LOGIN_FAILURES} and {@code ROSTER_LOGIN_FAILURE_WINDOW} (failed logins
 * of one account before it must wait, default 10 in PT15M); {@code ROSTER_MAX_ROWS_PER_JOB} (default 1,000,000),
 * {@code ROSTER_MAX_CONCURRENT_JOBS} (queued or running per organization, default 5); {@code ROSTER_QUEUE_TIMEOUT}
 * (the longest a submission waits on the broker before it is refused with 503, default PT30S); {@code ROSTER_MAX_REQUEST_MB}
 * (largest request body, default 512: a CSV upload streams, so this bounds time, not memory); {@code ROSTER_PUBLIC_URL} and {@code ROSTER_INVITATION_TTL} for the
 * invitations the gateway resends (as for the workers).
 */
public record GatewayConfig(String host, int port, int chunkSize, int bulkChunkSize, int maxJsonRows, Duration sessionTtl,
                            String adminEmail, String adminPassword, String adminOrg, int maxTagsPerOrg,
                            int orgRequestsPerSecond, int loginFailures, Duration loginFailureWindow,
                            int maxRowsPerJob, int maxConcurrentJobs, long maxRequestBytes, String publicUrl,
                            Duration invitationTtl, Duration queueTimeout) {

    public static GatewayConfig from(Settings settings) {
        String password = settings.string("ROSTER_ADMIN_PASSWORD", null);
        if (password != null && password.length() < 12) {
            throw new Settings.InvalidSettingException("ROSTER_ADMIN_PASSWORD", "(hidden)",
                    "must be at least 12 characters");
        }
        Duration window = settings.duration("ROSTER_LOGIN_FAILURE_WINDOW", Duration.ofMinutes(15));
        if (window.compareTo(io.roster.persistence.Sweeps.LOGIN_FAILURE_RETENTION) > 0 || window.isNegative()
                || window.isZero()) {
            throw new Settings.InvalidSettingException("ROSTER_LOGIN_FAILURE_WINDOW", window.toString(),
                    "must be longer than zero and at most a day (failed logins are kept a day)");
        }
        return new GatewayConfig(
                settings.string("ROSTER_HTTP_HOST", "0.0.0.0"),
                settings.integer("ROSTER_HTTP_PORT", 8080, 0, 65535),
                settings.integer("ROSTER_CHUNK_SIZE", 1000, 1, 50_000),
                settings.integer("ROSTER_BULK_CHUNK_SIZE", 5000, 1, 20_000),
                settings.integer("ROSTER_MAX_JSON_ROWS", 10_000, 1, 1_000_000),
                settings.duration("ROSTER_SESSION_TTL", Duration.ofHours(12)),
                settings.string("ROSTER_ADMIN_EMAIL", "admin@roster.local").toLowerCase(java.util.Locale.ROOT),
                password,
                settings.string("ROSTER_ADMIN_ORG", "Roster"),
                settings.integer("ROSTER_MAX_TAGS_PER_ORG", 500, 1, 100_000),
                settings.integer("ROSTER_ORG_REQUESTS_PER_SECOND", 100, 1, 1_000_000),
                settings.integer("ROSTER_LOGIN_FAILURES", 10, 1, 1000),
                settings.duration("ROSTER_LOGIN_FAILURE_WINDOW", Duration.ofMinutes(15)),
                settings.integer("ROSTER_MAX_ROWS_PER_JOB", 1_000_000, 1, 100_000_000),
                settings.integer("ROSTER_MAX_CONCURRENT_JOBS", 5, 1, 10_000),
                settings.integer("ROSTER_MAX_REQUEST_MB", 512, 1, 100_000) * 1024L * 1024L,
                settings.string("ROSTER_PUBLIC_URL", "http://localhost:8080"),
                settings.duration("ROSTER_INVITATION_TTL", Duration.ofDays(30)),
                settings.duration("ROSTER_QUEUE_TIMEOUT", Duration.ofSeconds(30)));
    }
}

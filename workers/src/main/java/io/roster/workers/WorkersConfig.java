package io.roster.workers;

import io.roster.persistence.DbSettings;
import io.roster.platform.KafkaSettings;
import io.roster.platform.Settings;
import java.time.Duration;

/**
 * Everything the workers read at start-up, validated. Environment, beside the Kafka and database settings:
 * {@code ROSTER_WORKER_THREADS} (consumer threads, default 2), {@code ROSTER_OUTBOX_BATCH} (entries per relay
 * round, default 2000), {@code ROSTER_OUTBOX_IDLE} (pause of an idle relay, default PT0.05S),
 * {@code ROSTER_WORKERS_HEALTH_PORT} (default 8081; 0 for any free port), {@code ROSTER_SUBMISSION_TIMEOUT} (after
 * which a job whose upload never completed is failed, default PT20M: longer than a Kafka transaction may stay open),
 * {@code ROSTER_PUBLIC_URL} (where invitation links point, default http://localhost:8080),
 * {@code ROSTER_INVITATION_TTL} (default P30D), {@code ROSTER_SMTP_HOST}, {@code ROSTER_SMTP_PORT} (default 25) and
 * {@code ROSTER_SMTP_FROM}: without a host, mails are written to {@code ROSTER_MAILBOX_DIR} (default
 * {@code $ROSTER_DATA_DIR/mailbox}) and their links logged; {@code ROSTER_MAILER=off} runs this instance without
 * the mailer (another instance, or a later start, sends the mails: they wait on their topic);
 * {@code ROSTER_MAILER_NICE} (the mailer thread's CPU priority as a Linux nice value, default 19: mail delivery runs
 * behind the jobs when cores are short and at full speed when they are not; 0 for the process's own priority);
 * {@code ROSTER_EXPORT_TTL} (how long an export's file is kept, default P7D); {@code ROSTER_PROCESSED_TTL} (how long
 * the mailer remembers the id of a mail it sent, to recognise a re-delivery, default P14D: keep it longer than the
 * mail topic keeps its records, Kafka's default being 7 days); {@code ROSTER_OUTBOX_MAX_BACKLOG} (how many
 * unpublished changes a bulk chunk may start behind, default 3000: about three chunks; 0 turns the gate off) and
 * {@code ROSTER_OUTBOX_MAX_WAIT} (the longest a chunk waits for the relay, default PT2S).
 */
public record WorkersConfig(KafkaSettings kafka, DbSettings db, int threads, int outboxBatch, Duration outboxIdle,
                            int healthPort, Duration submissionTimeout, String publicUrl, Duration invitationTtl,
                            String smtpHost, int smtpPort, String smtpFrom, String mailboxDir, boolean mailer,
                            int mailerNice, Duration exportTtl, Duration processedTtl, int outboxMaxBacklog,
                            Duration outboxMaxWait) {

    public static WorkersConfig from(Settings settings) {
        return new WorkersConfig(
                KafkaSettings.from(settings),
                DbSettings.from(settings),
                settings.integer("ROSTER_WORKER_THREADS", 2, 1, 64),
                settings.integer("ROSTER_OUTBOX_BATCH", 2000, 1, 100_000),
                settings.duration("ROSTER_OUTBOX_IDLE", Duration.ofMillis(50)),
                settings.integer("ROSTER_WORKERS_HEALTH_PORT", 8081, 0, 65535),
                settings.duration("ROSTER_SUBMISSION_TIMEOUT", Duration.ofMinutes(20)),
                settings.string("ROSTER_PUBLIC_URL", "http://localhost:8080"),
                settings.duration("ROSTER_INVITATION_TTL", Duration.ofDays(30)),
                settings.string("ROSTER_SMTP_HOST", null),
                settings.integer("ROSTER_SMTP_PORT", 25, 1, 65535),
                settings.string("ROSTER_SMTP_FROM", "roster@localhost"),
                settings.string("ROSTER_MAILBOX_DIR", java.nio.file.Path.of(settings.string("ROSTER_DATA_DIR",
                        System.getProperty("java.io.tmpdir")), "mailbox").toString()),
                !settings.string("ROSTER_MAILER", "on").equalsIgnoreCase("off"),
                settings.integer("ROSTER_MAILER_NICE", 19, 0, 19),
                settings.duration("ROSTER_EXPORT_TTL", Duration.ofDays(7)),
                settings.duration("ROSTER_PROCESSED_TTL", Duration.ofDays(14)),
                settings.integer("ROSTER_OUTBOX_MAX_BACKLOG", 3000, 0, 10_000_000),
                settings.duration("ROSTER_OUTBOX_MAX_WAIT", Duration.ofSeconds(2)));
    }
}

package io.roster.workers;

import com.zaxxer.hikari.HikariDataSource;
import io.roster.persistence.Database;
import io.roster.persistence.Jobs;
import io.roster.persistence.ProcessedMessages;
import io.roster.persistence.Tx;
import io.roster.platform.AppMetrics;
import io.roster.platform.Health;
import io.roster.platform.OpsServer;
import io.roster.workers.metrics.WorkerMetrics;
import io.roster.platform.ThreadPriority;
import io.roster.platform.TopicProvisioner;
import io.roster.workers.bulk.UsersChunkHandler;
import io.roster.workers.export.ExportHandler;
import io.roster.workers.invite.InviteChunkHandler;
import io.roster.contracts.event.MailMessage;
import io.roster.contracts.event.StatusChanged;
import io.roster.workers.mail.MailSender;
import io.roster.workers.mail.Mailer;
import io.roster.contracts.job.JobCommand;
import io.roster.workers.consume.ConsumerLoop;
import io.roster.workers.consume.DeadLetters;
import io.roster.workers.jobs.JobDispatcher;
import io.roster.workers.status.StatusChangeHandler;
import io.roster.workers.outbox.OutboxRelay;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers app: job consumers (one per thread, one consumer group shared with every other worker instance)
 * and the outbox relay, over one connection pool and one producer.
 *
 * <p>Consumes the job topics {@code roster.invites.v1}, {@code roster.bulk-actions.v1}, {@code roster.transfers.v1}
 * and {@code roster.exports.v1} (job chunks, one consumer group), {@code roster.user-status.v1} (status transitions)
 * and {@code roster.mail.v1} (mails, sent over SMTP or written to a mailbox folder);
 * produces {@code roster.user-changes.v1}, {@code roster.users.v1} (through
 * the outbox) and {@code roster.dlq.v1}. Start as many instances as the job topics have partitions.
 */
public final class Workers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Workers.class);
    public static final String GROUP_ID = "roster-workers";
    public static final String STATUS_GROUP_ID = "roster-workers-status";
    public static final String MAIL_GROUP_ID = "roster-mailer";

    private final HikariDataSource pool;
    private final Producer<String, byte[]> producer;
    private final List<ConsumerLoop<?>> consumers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final OutboxRelay relay;
    private final OpsServer ops;
    private final AppMetrics metrics;
    private java.util.concurrent.ScheduledExecutorService sweeper;

    private Workers(WorkersConfig config, ConsumerLoop.AfterApply<JobCommand> afterApply) {
        String instance = "roster-workers-" + UUID.randomUUID().toString().substring(0, 8);
        pool = Database.pool(config.db().withPoolSize(Math.max(config.db().poolSize(), config.threads() * 2 + 2)), instance);
        metrics = new AppMetrics("workers", instance);
        try {
            pool.setMetricRegistry(metrics.registry());
            Database.migrate(pool, config.db().schema());
            TopicProvisioner.ensureTopics(config.kafka());
            producer = metrics.producer(new KafkaProducer<>(config.kafka().producer(instance)));
            DeadLetters deadLetters = new DeadLetters(producer, config.kafka().topics(), GROUP_ID, metrics.registry());
            WorkerMetrics workerMetrics = new WorkerMetrics(metrics.registry(), pool);
            JobDispatcher jobs = new JobDispatcher(pool, new InviteChunkHandler(pool, Clock.systemUTC(),
                    config.invitationTtl(), config.publicUrl()), new UsersChunkHandler(pool, Clock.systemUTC()),
                    new ExportHandler(pool, Clock.systemUTC(), config.exportTtl()),
                    new io.roster.workers.jobs.OutboxGate(pool, config.outboxMaxBacklog(), config.outboxMaxWait()),
                    workerMetrics);
            for (int i = 0; i < config.threads(); i++) {
                ConsumerLoop<JobCommand> consumer = new ConsumerLoop<>(
                        metrics.consumer(new KafkaConsumer<>(jobConsumer(config, instance + "-" + i)), GROUP_ID),
                        List.of(config.kafka().topics().invites(), config.kafka().topics().bulkActions(),
                                config.kafka().topics().transfers(), config.kafka().topics().exports()), JobCommand.class, jobs, deadLetters, afterApply);
                consumers.add(consumer);
                threads.add(start(consumer, instance + "-jobs-" + i));
            }
            ConsumerLoop<StatusChanged> statuses = new ConsumerLoop<>(
                    metrics.consumer(new KafkaConsumer<>(config.kafka().consumer(STATUS_GROUP_ID, instance + "-status")),
                            STATUS_GROUP_ID),
                    List.of(config.kafka().topics().userStatus()), StatusChanged.class,
                    new StatusChangeHandler(pool), deadLetters, ConsumerLoop.AfterApply.none());
            consumers.add(statuses);
            threads.add(start(statuses, instance + "-status"));
            if (config.mailer()) {
                ConsumerLoop<MailMessage> mails = new ConsumerLoop<>(
                        metrics.consumer(new KafkaConsumer<>(mailConsumer(config, instance + "-mail")), MAIL_GROUP_ID),
                        List.of(config.kafka().topics().mail()), MailMessage.class,
                        new Mailer(pool, MailSender.from(config), metrics.registry()), deadLetters, ConsumerLoop.AfterApply.none());
                consumers.add(mails);
                int nice = config.mailerNice();
                threads.add(start(() -> {
                    ThreadPriority.lowerCurrent(nice);
                    mails.run();
                }, instance + "-mail"));
            }
            relay = new OutboxRelay(pool, producer, config.kafka().topics(), config.outboxBatch(), config.outboxIdle());
            threads.add(start(relay, instance + "-outbox"));
            io.micrometer.core.instrument.Gauge.builder("roster.outbox.relay.active", relay, r -> r.active() ? 1 : 0)
                    .description("1 on the worker whose relay holds the lock and publishes").register(metrics.registry());
            io.micrometer.core.instrument.FunctionCounter.builder("roster.outbox.published", relay,
                    OutboxRelay::published).description("outbox entries published by this worker's relay")
                    .register(metrics.registry());
            sweeper = java.util.concurrent.Executors.newScheduledThreadPool(2, r -> new Thread(r, instance + "-sweeper"));
            long period = Math.max(1, Math.min(30, config.submissionTimeout().toSeconds()));
            sweeper.scheduleWithFixedDelay(() -> sweep(config), period, period, java.util.concurrent.TimeUnit.SECONDS);
            sweeper.scheduleWithFixedDelay(() -> refresh(workerMetrics), 0, METRICS_REFRESH.toMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS);
            Health health = new Health()
                    .with("database", () -> Database.check(pool))
                    .with("broker", metrics.brokerCheck(config.kafka().bootstrapServers()))
                    .with("outboxRelay", () -> relayCheck());
            for (int i = 0; i < consumers.size(); i++) {
                ConsumerLoop<?> consumer = consumers.get(i);
                Thread thread = threads.get(i);
                health.with(thread.getName().substring(instance.length() + 1), () -> thread.isAlive() ? consumer.check()
                        : Health.Check.down("the thread stopped"));
            }
            ops = OpsServer.start("0.0.0.0", config.healthPort(), health, metrics.registry());
        } catch (RuntimeException e) {
            metrics.close();
            pool.close();
            throw e;
        }
        LOG.info("Workers started: {} job threads, health and metrics on :{}", config.threads(), ops.port());
    }

    /** How often the gauges read from the database (open jobs, the outbox backlog) are refreshed. */
    static final java.time.Duration METRICS_REFRESH = java.time.Duration.ofSeconds(5);

    private void refresh(WorkerMetrics workerMetrics) {
        try {
            workerMetrics.refresh();
        } catch (RuntimeException e) {
            LOG.debug("Could not refresh the database gauges: {}", io.roster.workers.consume.Failures.describe(e));
        }
    }

    /** The relay thread runs; whether it publishes here or stands by (another worker holds the lock). */
    private Health.Check relayCheck() {
        Thread thread = threads.get(threads.size() - 1);
        if (!thread.isAlive()) {
            return Health.Check.down("the relay thread stopped");
        }
        return Health.Check.up(relay.active() ? "active: publishing the outbox"
                : "standing by (another worker holds the relay lock, or the database is away)");
    }

    /**
     * On the worker whose outbox relay is active only (one leader, elected by the relay's lock): fails the jobs
     * whose upload was cut off before every chunk was queued; deletes expired job results, the ids
     * of mails sent longer ago than {@code ROSTER_PROCESSED_TTL}, expired sessions and login failures older than a
     * day (a bounded number of each a round).
     */
    private void sweep(WorkersConfig config) {
        if (!relay.active()) {
            return; // one worker sweeps: the one whose relay holds the lock (it fails over with the relay)
        }
        try {
            int failed = Tx.run(pool, c -> Jobs.failInterruptedSubmissions(c,
                    java.time.Instant.now().minus(config.submissionTimeout())));
            if (failed > 0) {
                LOG.warn("Failed {} jobs whose upload was cut off", failed);
            }
            int expired = Tx.run(pool, c -> io.roster.persistence.JobResults.deleteExpired(c, java.time.Instant.now()));
            if (expired > 0) {
                LOG.info("Deleted {} parts of expired job results", expired);
            }
            int forgotten = Tx.run(pool, c -> ProcessedMessages.deleteOlderThan(c,
                    java.time.Instant.now().minus(config.processedTtl()), SWEEP_LIMIT));
            if (forgotten > 0) {
                LOG.info("Forgot {} ids of messages processed more than {} ago", forgotten, config.processedTtl());
            }
            java.time.Instant now = java.time.Instant.now();
            int sessions = Tx.run(pool, c -> io.roster.persistence.Sweeps.expiredSessions(c, now, SWEEP_LIMIT));
            int failures = Tx.run(pool, c -> io.roster.persistence.Sweeps.oldLoginFailures(c, now, SWEEP_LIMIT));
            if (sessions + failures > 0) {
                LOG.info("Deleted {} expired sessions and {} old login failures", sessions, failures);
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not sweep (cut-off uploads, expired results, old message ids, sessions, login failures): {}",
                    io.roster.workers.consume.Failures.describe(e));
        }
    }

    /**
     * A job consumer's settings: at most {@link #JOB_POLL_RECORDS} chunks a poll. A chunk is up to a thousand rows
     * (about 180 KB); Kafka's default of 500 records a poll had a consumer hold a hundred megabytes of chunks it had
     * not reached yet whenever a large job was queued, so the heap grew with the job's backlog.
     */
    static Map<String, Object> jobConsumer(WorkersConfig config, String clientId) {
        Map<String, Object> props = config.kafka().consumer(GROUP_ID, clientId);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, JOB_POLL_RECORDS);
        return props;
    }

    /** The mailer's consumer settings: {@link Mailer#POLL_RECORDS} mails a poll. */
    static Map<String, Object> mailConsumer(WorkersConfig config, String clientId) {
        Map<String, Object> props = config.kafka().consumer(MAIL_GROUP_ID, clientId);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Mailer.POLL_RECORDS);
        return props;
    }

    /** Rows a sweep deletes of one kind at most: a short statement, however much has piled up. */
    static final int SWEEP_LIMIT = 50_000;

    /** Job chunks a job consumer takes a poll: a few seconds of work, a megabyte or two of memory. */
    static final int JOB_POLL_RECORDS = 8;

    public static Workers start(WorkersConfig config) {
        return new Workers(config, ConsumerLoop.AfterApply.none());
    }

    /** For tests that stop a worker between two steps of a flow. */
    public static Workers start(WorkersConfig config, ConsumerLoop.AfterApply<JobCommand> afterApply) {
        return new Workers(config, afterApply);
    }

    private static Thread start(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setUncaughtExceptionHandler((t, e) -> LOG.error("{} stopped: {}", t.getName(), e.toString()));
        thread.start();
        return thread;
    }

    public int healthPort() {
        return ops.port();
    }

    /** Whether every job thread is still running (false after a simulated crash). */
    public boolean allThreadsAlive() {
        return threads.stream().allMatch(Thread::isAlive);
    }

    @Override
    public void close() {
        consumers.forEach(ConsumerLoop::stop);
        relay.stop();
        sweeper.shutdownNow();
        for (Thread thread : threads) {
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ops.close();
        metrics.close();
        producer.close();
        pool.close();
        LOG.info("Workers stopped");
    }

    public static void main(String[] args) {
        Workers workers = start(WorkersConfig.from(io.roster.platform.Settings.fromEnvironment()));
        Runtime.getRuntime().addShutdownHook(new Thread(workers::close, "workers-shutdown"));
    }
}

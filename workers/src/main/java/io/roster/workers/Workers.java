package io.roster.workers;

import com.zaxxer.hikari.HikariDataSource;
import io.roster.persistence.Database;
import io.roster.platform.HealthServer;
import io.roster.platform.TopicProvisioner;
import io.roster.workers.invite.InviteChunkHandler;
import io.roster.workers.jobs.DeadLetters;
import io.roster.workers.jobs.JobConsumer;
import io.roster.workers.outbox.OutboxRelay;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers app: job consumers (one per thread, one consumer group shared with every other worker instance)
 * and the outbox relay, over one connection pool and one producer.
 *
 * <p>Consumes {@code roster.invites.v1}; produces {@code roster.user-changes.v1}, {@code roster.users.v1} (through
 * the outbox) and {@code roster.dlq.v1}. Start as many instances as the job topics have partitions.
 */
public final class Workers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Workers.class);
    public static final String GROUP_ID = "roster-workers";

    private final HikariDataSource pool;
    private final Producer<String, byte[]> producer;
    private final List<JobConsumer> consumers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final OutboxRelay relay;
    private final HealthServer health;

    private Workers(WorkersConfig config, JobConsumer.AfterApply afterApply) {
        String instance = "roster-workers-" + UUID.randomUUID().toString().substring(0, 8);
        pool = Database.pool(config.db().withPoolSize(Math.max(config.db().poolSize(), config.threads() + 2)), instance);
        try {
            Database.migrate(pool, config.db().schema());
            TopicProvisioner.ensureTopics(config.kafka());
            producer = new KafkaProducer<>(config.kafka().producer(instance));
            DeadLetters deadLetters = new DeadLetters(producer, config.kafka().topics(), GROUP_ID);
            InviteChunkHandler invites = new InviteChunkHandler(pool, Clock.systemUTC());
            for (int i = 0; i < config.threads(); i++) {
                JobConsumer consumer = new JobConsumer(
                        new KafkaConsumer<>(config.kafka().consumer(GROUP_ID, instance + "-" + i)),
                        List.of(config.kafka().topics().invites()), invites, deadLetters, afterApply);
                consumers.add(consumer);
                threads.add(start(consumer, instance + "-jobs-" + i));
            }
            relay = new OutboxRelay(pool, producer, config.kafka().topics(), config.outboxBatch(), config.outboxIdle());
            threads.add(start(relay, instance + "-outbox"));
            health = HealthServer.start("0.0.0.0", config.healthPort(),
                    () -> !pool.isClosed() && threads.stream().allMatch(Thread::isAlive)
                            && consumers.stream().allMatch(JobConsumer::healthy));
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        LOG.info("Workers started: {} job threads, health on :{}", config.threads(), health.port());
    }

    public static Workers start(WorkersConfig config) {
        return new Workers(config, JobConsumer.AfterApply.NONE);
    }

    /** For tests that stop a worker between two steps of a flow. */
    public static Workers start(WorkersConfig config, JobConsumer.AfterApply afterApply) {
        return new Workers(config, afterApply);
    }

    private static Thread start(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setUncaughtExceptionHandler((t, e) -> LOG.error("{} stopped: {}", t.getName(), e.toString()));
        thread.start();
        return thread;
    }

    public int healthPort() {
        return health.port();
    }

    /** Whether every job thread is still running (false after a simulated crash). */
    public boolean allThreadsAlive() {
        return threads.stream().allMatch(Thread::isAlive);
    }

    @Override
    public void close() {
        consumers.forEach(JobConsumer::stop);
        relay.stop();
        for (Thread thread : threads) {
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        health.close();
        producer.close();
        pool.close();
        LOG.info("Workers stopped");
    }

    public static void main(String[] args) {
        Workers workers = start(WorkersConfig.from(io.roster.platform.Settings.fromEnvironment()));
        Runtime.getRuntime().addShutdownHook(new Thread(workers::close, "workers-shutdown"));
    }
}

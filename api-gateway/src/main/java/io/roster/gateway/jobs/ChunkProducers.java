package io.roster.gateway.jobs;

import io.roster.gateway.GatewayConfig;
import io.roster.platform.KafkaSettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * A small pool of transactional producers for job chunks: a job's chunks are sent in one Kafka transaction, so the
 * workers (read_committed) see all of them or none, even when an upload fails halfway or the gateway dies. A
 * transactional producer has one transaction open at a time; the pool lets several submissions run at once.
 *
 * <p>No call waits on the broker longer than {@code ROSTER_QUEUE_TIMEOUT} ({@code max.block.ms}): a broker that is
 * away makes a submission fail (503) rather than hold the request. A producer left unusable by a failed transaction
 * is closed and its place refilled when a producer is next borrowed, so the pool keeps its size through an outage
 * (refilling while the broker is still away fails that borrow, and the place stays free for the next). Producers
 * are created when first needed.
 */
@Singleton
public class ChunkProducers {

    private static final int SIZE = 4;

    private final BlockingQueue<Producer<String, byte[]>> idle = new ArrayBlockingQueue<>(SIZE);
    private final List<Producer<String, byte[]>> all = new CopyOnWriteArrayList<>();
    private final AtomicInteger free = new AtomicInteger();
    private final KafkaSettings kafka;
    private final Duration queueTimeout;
    private final String instance = "roster-gateway-" + UUID.randomUUID();
    private final AtomicInteger created = new AtomicInteger();

    public ChunkProducers(KafkaSettings kafka, GatewayConfig config) {
        this.kafka = kafka;
        this.queueTimeout = config.queueTimeout();
        // created on first use: a broker away then fails that submission, not the gateway's wiring
        free.set(SIZE);
    }

    private Producer<String, byte[]> create() {
        int n = created.getAndIncrement();
        Map<String, Object> props = kafka.transactionalProducer(instance + "-chunks-" + n, instance + "-" + n);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, queueTimeout.toMillis());
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props);
        try {
            producer.initTransactions();
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
        all.add(producer);
        return producer;
    }

    /** Closes a producer left unusable by a failed transaction; its place is refilled by a later borrow. */
    public void discard(Producer<String, byte[]> producer) {
        all.remove(producer);
        producer.close(Duration.ZERO);
        free.incrementAndGet();
    }

    /**
     * A producer for one transaction; give it back with {@link #release} (or {@link #discard}).
     *
     * @throws IllegalStateException when none is free for 60 s
     * @throws org.apache.kafka.common.KafkaException when a free place is refilled while the broker is away
     */
    public Producer<String, byte[]> borrow() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            Producer<String, byte[]> producer = idle.poll();
            if (producer != null) {
                return producer;
            }
            if (free.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                try {
                    return create();
                } catch (RuntimeException e) {
                    free.incrementAndGet();
                    throw e;
                }
            }
            producer = idle.poll(100, TimeUnit.MILLISECONDS);
            if (producer != null) {
                return producer;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no chunk producer free for 60 s");
            }
        }
    }

    public void release(Producer<String, byte[]> producer) {
        idle.add(producer);
    }

    @PreDestroy
    void close() {
        all.forEach(p -> p.close(Duration.ofSeconds(5)));
    }
}

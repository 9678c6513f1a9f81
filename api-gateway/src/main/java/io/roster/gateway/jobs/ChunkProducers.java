package io.roster.gateway.jobs;

import io.roster.platform.KafkaSettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

/**
 * A small pool of transactional producers for job chunks: a job's chunks are sent in one Kafka transaction, so the
 * workers (read_committed) see all of them or none, even when an upload fails halfway or the gateway dies. A
 * transactional producer has one transaction open at a time; the pool lets several submissions run at once.
 */
@Singleton
public class ChunkProducers {

    private static final int SIZE = 4;

    private final BlockingQueue<Producer<String, byte[]>> idle = new ArrayBlockingQueue<>(SIZE);
    private final List<Producer<String, byte[]>> all = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final KafkaSettings kafka;
    private final String instance = "roster-gateway-" + UUID.randomUUID();
    private final java.util.concurrent.atomic.AtomicInteger created = new java.util.concurrent.atomic.AtomicInteger();

    public ChunkProducers(KafkaSettings kafka) {
        this.kafka = kafka;
        for (int i = 0; i < SIZE; i++) {
            idle.add(create());
        }
    }

    private Producer<String, byte[]> create() {
        int n = created.getAndIncrement();
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                kafka.transactionalProducer(instance + "-chunks-" + n, instance + "-" + n));
        producer.initTransactions();
        all.add(producer);
        return producer;
    }

    /** Closes a producer left unusable by a failed transaction and puts a fresh one in its place. */
    public void discard(Producer<String, byte[]> producer) {
        all.remove(producer);
        producer.close(Duration.ZERO);
        idle.add(create());
    }

    /** A producer for one transaction; give it back with {@link #release}. */
    public Producer<String, byte[]> borrow() throws InterruptedException {
        Producer<String, byte[]> producer = idle.poll(60, TimeUnit.SECONDS);
        if (producer == null) {
            throw new IllegalStateException("no chunk producer free for 60 s");
        }
        return producer;
    }

    public void release(Producer<String, byte[]> producer) {
        idle.add(producer);
    }

    @PreDestroy
    void close() {
        all.forEach(p -> p.close(Duration.ofSeconds(5)));
    }
}

package io.roster.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roster.contracts.Topics;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * How soon a committed change is visible on {@code roster.user-changes.v1}, while a million-row import runs through
 * the API on the local stack (the gateway and the workers in JVMs of their own, {@link BenchStack}). A consumer in
 * this process reads the topic as a downstream service would (read_committed, polling) and takes, for every event,
 * the time it was read less the time its transaction committed ({@code roster.committed-at}, PostgreSQL's commit
 * timestamp, which the relay adds); beside it, less the event's {@code time}, stamped in the transaction before its
 * commit (an invite chunk's events carry the chunk's start): that one includes the rest of the transaction. The
 * baseline in the same run: a record produced to the
 * same broker every 10 ms, stamped when sent, read by the same consumer: what Kafka alone adds on this machine
 * under the same load.
 */
final class LatencyBench {

    private LatencyBench() {
    }

    static void run(Bench.Options options) throws Exception {
        int rows = options.integer("rows", 1_000_000);
        int warmup = options.integer("warmup", 20_000);
        Path dir = Files.createTempDirectory("roster-bench-latency-");
        String changes = new Topics("roster.").userChanges();
        String probe = "bench.latency-probe";
        Samples events = new Samples();
        Samples committed = new Samples();
        Samples raw = new Samples();
        try (BenchStack stack = BenchStack.start(dir, options)) {
            String bootstrap = stack.broker.bootstrapServers();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic(probe, 1, (short) 1))).all().get();
            }
            if (warmup > 0) {
                Path csv = dir.resolve("warmup.csv");
                ImportBench.write(csv, warmup, "w");
                ImportBench.upload(stack, csv, warmup);
                System.err.printf("  warm-up: %,d rows imported (not measured)%n", warmup);
            }
            Path csv = dir.resolve("users.csv");
            ImportBench.write(csv, rows, "m");
            AtomicBoolean running = new AtomicBoolean(true);
            Thread reader = new Thread(() -> read(bootstrap, List.of(changes, probe), changes, events, committed, raw,
                    running),
                    "latency-reader");
            Thread prober = new Thread(() -> probe(bootstrap, probe, running), "latency-probe");
            reader.start();
            Thread.sleep(2000); // the reader at the topics' ends before anything is sent
            prober.start();
            double seconds = ImportBench.upload(stack, csv, rows, false);
            Thread.sleep(2000);
            running.set(false);
            reader.join();
            prober.join();
            System.out.printf("%nChange events on Kafka while an import of %,d users runs through the API (%.0f s, "
                    + "%,.0f users/s): the time a consumer reads each event less when it was committed%n%n", rows, seconds, rows / seconds);
        }
        Table table = new Table("what", "records", "p50", "p90", "p99", "p99.9", "max");
        table.row("raw: a record produced every 10 ms, to read", String.format("%,d", raw.size()),
                raw.millis(0.5), raw.millis(0.9), raw.millis(0.99), raw.millis(0.999), raw.millis(1.0));
        table.row("change event: commit to read", String.format("%,d", committed.size()),
                committed.millis(0.5), committed.millis(0.9), committed.millis(0.99), committed.millis(0.999),
                committed.millis(1.0));
        table.row("change event: its time (in the transaction) to read", String.format("%,d", events.size()),
                events.millis(0.5), events.millis(0.9), events.millis(0.99), events.millis(0.999),
                events.millis(1.0));
        table.print();
        System.out.printf("%nTarget: commit to read p99 under 1 s; p99 %s%n", committed.millis(0.99));
    }

    private static void read(String bootstrap, List<String> topics, String changes, Samples events,
                             Samples committed, Samples raw, AtomicBoolean running) {
        ObjectMapper json = new ObjectMapper();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "isolation.level", "read_committed", "max.poll.records", 5000), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            while (running.get()) {
                var records = consumer.poll(Duration.ofMillis(100));
                long now = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
                for (ConsumerRecord<String, byte[]> record : records) {
                    if (record.topic().equals(changes)) {
                        JsonNode event = json.readTree(record.value());
                        Instant time = Instant.parse(event.get("time").asText());
                        events.add(now - micros(time));
                        var header = record.headers().lastHeader("roster.committed-at");
                        if (header != null) {
                            committed.add(now - micros(Instant.parse(new String(header.value(),
                                    java.nio.charset.StandardCharsets.UTF_8))));
                        }
                    } else {
                        raw.add(now - ByteBuffer.wrap(record.value()).getLong());
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long micros(Instant time) {
        return time.getEpochSecond() * 1_000_000 + time.getNano() / 1000;
    }

    private static void probe(String bootstrap, String topic, AtomicBoolean running) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
                "linger.ms", 0), new ByteArraySerializer(), new ByteArraySerializer())) {
            while (running.get()) {
                long now = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
                producer.send(new ProducerRecord<>(topic, ByteBuffer.allocate(8).putLong(now).array()));
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Latencies in microseconds, kept whole for exact percentiles. */
    private static final class Samples {
        private long[] values = new long[1 << 16];
        private int size;

        void add(long micros) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = micros;
        }

        int size() {
            return size;
        }

        String millis(double quantile) {
            if (size == 0) {
                return "-";
            }
            long[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            int index = (int) Math.min(size - 1, Math.ceil(quantile * size) - 1);
            return String.format("%.1f ms", sorted[Math.max(0, index)] / 1000.0);
        }
    }
}

package io.roster.bench;

import io.roster.contracts.Topics;
import io.roster.contracts.event.LoginSucceeded;
import io.roster.contracts.event.StatusChanged;
import io.roster.contracts.serde.Json;
import io.roster.contracts.serde.JsonSerde;
import io.roster.infra.KraftBroker;
import io.roster.platform.KafkaSettings;
import io.roster.platform.TopicProvisioner;
import io.roster.streams.status.StatusTopology;
import io.roster.streams.status.UserActivity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The status topology against raw Kafka Streams on this machine, in one run:
 * <ol>
 *   <li>throughput: the same login events (default 1,000,000 over 100,000 users, 4 partitions, one stream thread,
 *       exactly_once_v2, commit interval 1 s) through a raw keyed reduce into a RocksDB store, then through the
 *       production status topology; each timed from RUNNING until its committed offsets reach the end;</li>
 *   <li>punctuation: with 1,000,000 users tracked and 1% due, the production punctuator (a range scan of the due
 *       index) against a full scan of the users store, which is what a punctuator without the index would do.</li>
 * </ol>
 */
final class StatusBench {

    private static final Duration PERIOD = Duration.ofDays(30);

    private StatusBench() {
    }

    static void run(Bench.Options options) throws Exception {
        int events = options.integer("events", 1_000_000);
        int users = options.integer("users", 100_000);
        int tracked = options.integer("tracked", 1_000_000);
        int duePercent = options.integer("due-percent", 1);
        Path dir = Files.createTempDirectory("roster-bench-status-");
        double raw;
        double ours;
        try (KraftBroker broker = KraftBroker.start(dir.resolve("kafka"), 0, 4)) {
            Topics topics = new Topics("bench.");
            KafkaSettings kafka = new KafkaSettings(broker.bootstrapServers(), topics, 4, (short) 1);
            TopicProvisioner.ensureTopics(kafka);
            System.err.printf("producing %,d login events over %,d users...%n", events, users);
            produce(kafka, topics.logins(), events, users);
            System.err.println("raw keyed reduce (exactly_once_v2)...");
            raw = throughput(rawTopology(topics), broker, "bench-raw", dir, topics.logins(), events);
            System.err.println("status topology (exactly_once_v2)...");
            ours = throughput(StatusTopology.buildTopology(topics, PERIOD, Duration.ofMinutes(1)), broker,
                    "bench-status", dir, topics.logins(), events);
        }
        System.err.printf("punctuation with %,d users tracked, %d%% due...%n", tracked, duePercent);
        double[] punctuation = punctuation(dir, tracked, duePercent);

        System.out.printf("%nStatus topology, %,d login events over %,d users; punctuation with %,d tracked, %d%% due%n%n",
                events, users, tracked, duePercent);
        new Table("measure", "baseline", "roster", "ratio")
                .row("login events/s, exactly_once_v2, 1 thread", "raw keyed reduce: " + Table.rate(raw),
                        "status topology: " + Table.rate(ours), Table.ratio(ours / raw))
                .row("one punctuation, " + String.format("%,d", tracked) + " users tracked",
                        "full scan of users: " + Table.millis(punctuation[0]),
                        "due-index range scan: " + Table.millis(punctuation[1]),
                        Table.ratio(punctuation[0] / punctuation[1]) + " faster")
                .print();
        System.out.printf("%nTarget: status topology at least 0.80x the raw rate. Punctuation expired %,.0f users.%n",
                punctuation[2]);
    }

    private static void produce(KafkaSettings kafka, String topic, int events, int users) throws Exception {
        UUID[] ids = new UUID[users];
        UUID org = UUID.randomUUID();
        for (int i = 0; i < users; i++) {
            ids[i] = UUID.randomUUID();
        }
        Map<String, Object> props = kafka.producer("bench-producer");
        props.put("linger.ms", 20);
        Instant start = Instant.now().minus(Duration.ofDays(1));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < events; i++) {
                UUID user = ids[i % users];
                LoginSucceeded login = new LoginSucceeded(user, org, start.plusMillis(i), "bench");
                producer.send(new ProducerRecord<>(topic, user.toString(), Json.write(login)));
            }
            producer.flush();
        }
    }

    private static Topology rawTopology(Topics topics) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(topics.logins(), Consumed.with(Serdes.String(), JsonSerde.of(LoginSucceeded.class)))
                .groupByKey()
                .reduce((latest, next) -> next.at().isAfter(latest.at()) ? next : latest,
                        Materialized.<String, LoginSucceeded, KeyValueStore<Bytes, byte[]>>as("raw-latest")
                                .withKeySerde(Serdes.String()).withValueSerde(JsonSerde.of(LoginSucceeded.class)));
        return builder.build();
    }

    /** Events per second from RUNNING until the group's committed offsets reach the end of the input. */
    private static double throughput(Topology topology, KraftBroker broker, String appId, Path dir, String input,
                                     int events) throws Exception {
        Properties props = StatusTopology.streamsConfig(broker.bootstrapServers(), appId,
                dir.resolve(appId).toString(), Duration.ofSeconds(1), Topics.defaults().deadLetters());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
             KafkaStreams streams = new KafkaStreams(topology, props)) {
            long end = endOffsets(admin, input);
            streams.start();
            while (streams.state() != KafkaStreams.State.RUNNING) {
                Thread.sleep(10);
            }
            long started = System.nanoTime();
            long lastReport = started;
            long done;
            while ((done = committed(admin, appId, input)) < end) {
                Thread.sleep(50);
                if (System.nanoTime() - lastReport > 5e9) {
                    lastReport = System.nanoTime();
                    System.err.printf("  %s: %,d of %,d committed%n", appId, done, end);
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            return events / seconds;
        }
    }

    private static long endOffsets(Admin admin, String topic) throws Exception {
        var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
        Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
        partitions.forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        return admin.listOffsets(request).all().get().values().stream().mapToLong(r -> r.offset()).sum();
    }

    private static long committed(Admin admin, String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
    }

    /** @return {full scan ms, production punctuation ms, users expired} */
    private static double[] punctuation(Path dir, int tracked, int duePercent) throws Exception {
        Topics topics = Topics.defaults();
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        Properties props = StatusTopology.streamsConfig("unused:9092", "bench-punctuation",
                dir.resolve("punctuation").toString(), Duration.ofSeconds(1), topics.deadLetters());
        try (TopologyTestDriver driver = new TopologyTestDriver(
                StatusTopology.buildTopology(topics, PERIOD, Duration.ofMinutes(1)), props, t0)) {
            TestInputTopic<String, LoginSucceeded> logins = driver.createInputTopic(topics.logins(),
                    Serdes.String().serializer(), JsonSerde.of(LoginSucceeded.class));
            TestOutputTopic<String, StatusChanged> out = driver.createOutputTopic(topics.userStatus(),
                    Serdes.String().deserializer(), JsonSerde.of(StatusChanged.class));
            UUID org = UUID.randomUUID();
            int every = Math.max(1, 100 / Math.max(1, duePercent));
            List<TestRecord<String, LoginSucceeded>> batch = new ArrayList<>(10_000);
            for (int i = 0; i < tracked; i++) {
                UUID user = UUID.randomUUID();
                Instant at = i % every == 0 ? t0 : t0.plus(Duration.ofDays(1));
                batch.add(new TestRecord<>(user.toString(), new LoginSucceeded(user, org, at, "bench"), at));
                if (batch.size() == 10_000) {
                    logins.pipeRecordList(batch);
                    batch.clear();
                    out.readValuesToList();
                }
            }
            logins.pipeRecordList(batch);
            out.readValuesToList();

            KeyValueStore<String, UserActivity> users = driver.getKeyValueStore(StatusTopology.USERS_STORE);
            long scanStart = System.nanoTime();
            long scanned = 0;
            try (KeyValueIterator<String, UserActivity> it = users.all()) {
                while (it.hasNext()) {
                    UserActivity activity = it.next().value;
                    if (activity.dueAt() != null && !activity.dueAt().isAfter(t0.plus(PERIOD))) {
                        scanned++;
                    }
                }
            }
            double fullScanMs = (System.nanoTime() - scanStart) / 1e6;

            long punctuationStart = System.nanoTime();
            driver.advanceWallClockTime(PERIOD);
            double punctuationMs = (System.nanoTime() - punctuationStart) / 1e6;
            int expired = out.readValuesToList().size();
            if (expired != scanned) {
                throw new IllegalStateException("punctuation expired " + expired + " users, the scan found " + scanned);
            }
            return new double[] {fullScanMs, punctuationMs, expired};
        }
    }
}

package io.roster.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.roster.contracts.Topics;
import io.roster.contracts.event.UserSnapshot;
import io.roster.contracts.event.UserTagsChanged;
import io.roster.contracts.user.Role;
import io.roster.operations.Mails;
import io.roster.persistence.Activity;
import io.roster.persistence.Invitations;
import io.roster.persistence.Outbox;
import io.roster.persistence.UserChunks;
import io.roster.persistence.Users;
import io.roster.platform.KafkaSettings;
import io.roster.workers.outbox.OutboxRelay;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What a user row costs to write beyond the users table, stage by stage: the workers' own code ({@link Users},
 * {@link Invitations}, {@link Outbox}, {@link Activity}, {@link OutboxRelay}) run on the baseline schema in chunks of
 * a thousand, each chunk's stages timed apart, the relay publishing to topics of their own on the benchmark's
 * broker. One thread, no Kafka consumer and no HTTP: the sum is what one user costs the database, the worker and the
 * broker on the critical path, without the concurrency, polling and hand-offs of the running system (the end-to-end
 * line of the same run is that).
 */
final class WriteStages {

    private static final int CHUNK = 1000;

    private final Map<String, Long> nanos = new LinkedHashMap<>();
    private final HikariDataSource pool;
    private final String bootstrap;

    WriteStages(HikariDataSource pool, String bootstrap) {
        this.pool = pool;
        this.bootstrap = bootstrap;
    }

    /** A new organization in the pool's schema, for the stages' users. */
    static UUID organization(HikariDataSource pool, String name) throws Exception {
        UUID org = UUID.randomUUID();
        try (Connection c = pool.getConnection(); java.sql.Statement s = c.createStatement()) {
            s.execute("INSERT INTO organizations (id, name, path, depth) VALUES ('" + org + "', '" + name
                    + "', ARRAY['" + org + "'::uuid], 1)");
        }
        return org;
    }

    @FunctionalInterface
    interface Work<T> {
        T run() throws Exception;
    }

    private <T> T time(String stage, Work<T> work) throws Exception {
        long start = System.nanoTime();
        T result = work.run();
        nanos.merge(stage, System.nanoTime() - start, Long::sum);
        return result;
    }

    /**
     * Invites {@code rows} users into {@code org} as an import chunk does: their invitations (a token, its hash and
     * the mail each), the users rows with their events and snapshots in the outbox (one transaction a chunk); apart
     * from that, the JSON of the events and snapshots and the outbox row alone (rolled back); then the relay
     * publishing all of it and deleting it.
     */
    Table invite(UUID org, int rows) throws Exception {
        Instant now = Instant.now();
        UUID job = UUID.randomUUID();
        for (int from = 0; from < rows; from += CHUNK) {
            List<Users.NewUser> users = new ArrayList<>(CHUNK);
            for (int i = from; i < Math.min(rows, from + CHUNK); i++) {
                users.add(new Users.NewUser(UUID.randomUUID(), org, "stage" + i + "@stages.example", "First" + i,
                        "Last" + i, i % 50 == 0 ? Role.Admin : i % 5 == 0 ? Role.Staff : Role.User, "Berlin",
                        List.of("imported"), null, now, null, job, "bench"));
            }
            Invitations.Batch invitations = time("invitations: a token, its SHA-256 and the mail's JSON each",
                    () -> Invitations.prepare(users.stream().map(u -> new Invitations.Invitee(u.id(), u.email(),
                            u.firstName())).toList(), Duration.ofDays(7), Mails.invitations("Bench",
                            "http://localhost:8080"), now));
            List<Outbox.Entry> entries = time("JSON of each event and snapshot",
                    () -> Users.invitedEntries(users, UUID::randomUUID, invitations));
            time("outbox row of the chunk (entries encoded, inserted)", () -> inTransaction(false, c -> {
                Outbox.append(c, entries);
                return null;
            }));
            time("chunk transaction: users rows + the JSON + the outbox row", () -> inTransaction(true, c -> {
                Users.insertInvited(c, users, UUID::randomUUID, invitations);
                return null;
            }));
        }
        relay(rows);
        Table table = table(rows, "chunk transaction: users rows + the JSON + the outbox row",
                List.of("JSON of each event and snapshot", "outbox row of the chunk (entries encoded, inserted)"),
                "  of which the users rows (COPY, foreign key, count trigger, indexes)");
        table.row("activity", "0.0", "", "an invitation's activity entry is the user row itself");
        return table;
    }

    /**
     * Adds a tag to the first {@code rows} of {@code ids} as a tag chunk does: the UPDATE that returns each changed
     * user, the JSON of the events and snapshots, the outbox row, the activity rows (one transaction a chunk, the
     * JSON timed apart), then the relay.
     */
    Table tag(List<UUID> ids, int rows) throws Exception {
        for (int from = 0; from < rows; from += CHUNK) {
            List<UUID> chunk = ids.subList(from, Math.min(rows, from + CHUNK));
            inTransaction(true, c -> {
                List<UserSnapshot> changed = time("tags rows: UPDATE ... RETURNING, then the users rows read",
                        () -> UserChunks.tag(c, chunk, "stages", false));
                List<Users.Change> changes = new ArrayList<>(changed.size());
                for (UserSnapshot user : changed) {
                    changes.add(new Users.Change(UUID.randomUUID(), new UserTagsChanged(user.id(), user.orgId(),
                            List.of("stages"), List.of(), user.tags(), user.updatedAt(), null, null), user,
                            user.updatedAt(), null, "bench", "added tag stages", null));
                }
                Users.Records records = time("JSON of each event and snapshot", () -> Users.records(changes));
                time("outbox row of the chunk (entries encoded, inserted)", () -> {
                    Outbox.append(c, records.outbox());
                    return null;
                });
                time("activity rows (one a user)", () -> {
                    Activity.append(c, records.activity());
                    return null;
                });
                return null;
            });
        }
        relay(rows);
        return table(rows, null, List.of(), null);
    }

    /** Publishes what the stages put in the outbox, as the relay does, and deletes it. */
    private void relay(int rows) throws Exception {
        Topics topics = new Topics("stages-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(topics.userChanges(), topics.users(), topics.mail()).stream()
                    .map(t -> new NewTopic(t, 6, (short) 1)).toList()).all().get();
        }
        awaitWritable(topics, 6);
        try (Producer<String, byte[]> producer = new KafkaProducer<>(new KafkaSettings(bootstrap, topics, 6, (short) 1)
                .producer("stages"));
             Connection c = pool.getConnection()) {
            c.setAutoCommit(true);
            OutboxRelay relay = new OutboxRelay(pool, producer, topics, 2000, Duration.ofMillis(50));
            time("relay: read the outbox, publish (change, snapshot, mail), delete", () -> {
                int published = 0;
                int round;
                while ((round = relay.relayOnce(c)) > 0) {
                    published += round;
                }
                return published;
            });
        }
    }

    /**
     * Waits until every partition of the new topics takes a record. An idempotent producer that sends to a partition
     * the broker has not opened yet can have its first request refused (NOT_LEADER_OR_FOLLOWER) and its second
     * accepted, and then every retry of the first is out of sequence until the delivery timeout (KAFKA-15591, seen
     * here on Kafka 4.4.0: it stopped a run of this benchmark). So one record goes to each partition first, from a
     * producer that is not idempotent and retries alone.
     */
    private void awaitWritable(Topics topics, int partitions) throws Exception {
        Map<String, Object> probe = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        try (Producer<byte[], byte[]> producer = new KafkaProducer<>(probe, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (String topic : List.of(topics.userChanges(), topics.users(), topics.mail())) {
                for (int partition = 0; partition < partitions; partition++) {
                    producer.send(new ProducerRecord<>(topic, partition, null, null)).get();
                }
            }
        }
    }

    /**
     * The stages, µs a user; {@code whole} (a stage that includes {@code parts}, timed apart) is followed by its
     * remainder named {@code rest}.
     */
    private Table table(int rows, String whole, List<String> parts, String rest) {
        Table table = new Table("stage", "µs per user", "users/s alone", "note");
        double total = 0;
        for (Map.Entry<String, Long> stage : nanos.entrySet()) {
            double micros = stage.getValue() / 1e3 / rows;
            if (!parts.contains(stage.getKey())) {
                total += micros; // the parts are inside the whole
            }
            table.row(stage.getKey(), String.format("%.1f", micros), Table.rate(1e6 / micros),
                    parts.contains(stage.getKey()) ? "part of the chunk transaction, timed apart" : "");
            if (stage.getKey().equals(whole)) {
                double inside = parts.stream().mapToLong(nanos::get).sum() / 1e3 / rows;
                table.row(rest, String.format("%.1f", micros - inside), Table.rate(1e6 / (micros - inside)), "");
            }
        }
        table.row("sum, one thread", String.format("%.1f", total), Table.rate(1e6 / total), "");
        return table;
    }

    @FunctionalInterface
    private interface InTx<T> {
        T run(Connection connection) throws Exception;
    }

    /** Runs {@code work} in a transaction of its own, committed or rolled back. */
    private <T> T inTransaction(boolean commit, InTx<T> work) throws Exception {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            T result = work.run(c);
            if (commit) {
                c.commit();
            } else {
                c.rollback();
            }
            return result;
        }
    }
}

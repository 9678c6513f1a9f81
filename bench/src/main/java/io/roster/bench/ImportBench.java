package io.roster.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.roster.contracts.Topics;
import io.roster.gateway.Gateway;
import io.roster.infra.EmbeddedPostgresServer;
import io.roster.infra.KraftBroker;
import io.roster.persistence.Database;
import io.roster.persistence.DbSettings;
import io.roster.platform.Settings;
import io.roster.workers.Workers;
import io.roster.workers.WorkersConfig;
import java.io.BufferedWriter;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.postgresql.PGConnection;

/**
 * Bulk import of generated users through the HTTP API (a streamed CSV upload) on the local stack: the gateway and
 * the workers in this JVM, a real broker and PostgreSQL. Timed from the first byte of the upload until the last
 * {@code roster.user.invited} event is on Kafka. Beside it, in the same run, the raw baseline: COPY of the same rows
 * into the same table (its own schema, the same migrations and indexes). Peak heap is sampled during each import;
 * the JVM holds the gateway and the workers both, so it is their sum. The mailer is off: invitation mails wait on
 * their topic (mail delivery is measured on its own).
 */
final class ImportBench {

    private ImportBench() {
    }

    static void run(Bench.Options options) throws Exception {
        List<Integer> sizes = options.values().containsKey("sizes")
                ? java.util.Arrays.stream(options.values().get("sizes").split(",")).map(s -> Integer.parseInt(s.strip()))
                .toList() : List.of(100_000, 1_000_000);
        Path dir = Files.createTempDirectory("roster-bench-import-");
        Table table = new Table("rows", "raw COPY", "rows applied (job finished)", "end to end (upload to last event)",
                "ratio", "peak heap");
        try (KraftBroker broker = KraftBroker.start(dir.resolve("kafka"), 0, 6);
             EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dir.resolve("pg"), 0, false)) {
            Map<String, String> env = new HashMap<>(Map.of("ROSTER_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                    "ROSTER_DB_URL", postgres.jdbcUrl("postgres"), "ROSTER_DB_USER", "postgres", "ROSTER_DB_PASSWORD", "",
                    "ROSTER_HTTP_PORT", "0", "ROSTER_ADMIN_EMAIL", BenchLogin.EMAIL,
                    "ROSTER_ADMIN_PASSWORD", BenchLogin.PASSWORD, "ROSTER_WORKERS_HEALTH_PORT", "0",
                    "ROSTER_MAILER", "off"));
            env.put("ROSTER_MAX_JSON_ROWS", "10");
            env.put("ROSTER_DB_POOL_SIZE", "12");
            env.put("ROSTER_MAX_CONCURRENT_JOBS", "100");
            env.put("ROSTER_DATA_DIR", dir.toString());
            try (Gateway gateway = Gateway.start(env);
                 Workers workers = Workers.start(WorkersConfig.from(new Settings(env)));
                 HikariDataSource baseline = Database.pool(new DbSettings(postgres.jdbcUrl("postgres"), "postgres", "",
                         "baseline", 2), "baseline")) {
                Database.migrate(baseline, "baseline");
                HttpClient http = HttpClient.newHttpClient();
                BenchLogin login = BenchLogin.of(http, gateway.uri());
                String token = login.token();
                String org = login.orgId();
                int batch = 0;
                for (int rows : sizes) {
                    batch++;
                    Path csv = dir.resolve("users-" + rows + ".csv");
                    write(csv, rows, "b" + batch);
                    double raw = rows / copy(baseline, csv, batch);
                    System.gc();
                    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
                    AtomicLong peak = new AtomicLong();
                    Thread sampler = new Thread(() -> {
                        while (!Thread.currentThread().isInterrupted()) {
                            peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                            try {
                                Thread.sleep(20);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    });
                    sampler.start();
                    long eventsBefore = events(broker, new Topics("roster.").userChanges());
                    long start = System.nanoTime();
                    HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(gateway.uri()
                                    .resolve("/api/v1/orgs/" + org + "/jobs/invite"))
                            .header("Authorization", "Bearer " + token).header("Content-Type", "text/csv")
                            .POST(HttpRequest.BodyPublishers.ofFile(csv)).build(), HttpResponse.BodyHandlers.ofString());
                    if (accepted.statusCode() != 202) {
                        throw new IllegalStateException("upload refused: " + accepted.body());
                    }
                    System.err.printf("  %,d rows uploaded in %.1f s%n", rows, (System.nanoTime() - start) / 1e9);
                    String job = accepted.headers().firstValue("Location").orElseThrow();
                    HttpRequest status = HttpRequest.newBuilder(gateway.uri().resolve(job))
                            .header("Authorization", "Bearer " + token).build();
                    while (!http.send(status, HttpResponse.BodyHandlers.ofString()).body().contains("\"finishedAt\":\"")) {
                        Thread.sleep(100);
                    }
                    double applied = rows / ((System.nanoTime() - start) / 1e9);
                    long lastReport = System.nanoTime();
                    long published;
                    while ((published = events(broker, new Topics("roster.").userChanges()) - eventsBefore) < rows) {
                        Thread.sleep(100);
                        if (System.nanoTime() - lastReport > 10e9) {
                            lastReport = System.nanoTime();
                            System.err.printf("  %,d of %,d events published%n", published, rows);
                        }
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    sampler.interrupt();
                    double ours = rows / seconds;
                    table.row(String.format("%,d", rows), Table.rate(raw), Table.rate(applied), Table.rate(ours),
                            Table.ratio(ours / raw),
                            String.format("%,d MB", peak.get() / (1024 * 1024)));
                }
            }
        }
        System.out.printf("%nBulk import through the HTTP API (streamed CSV), the local stack on this machine%n%n");
        table.print();
        System.out.printf("%nTarget: end to end at least 0.50x raw COPY; heap flat as the file grows.%n");
    }

    private static void write(Path csv, int rows, String prefix) throws Exception {
        try (BufferedWriter out = Files.newBufferedWriter(csv)) {
            out.write("email,first name,last name,role,location,tags\n");
            for (int i = 0; i < rows; i++) {
                out.write(prefix + "user" + i + "@import.example,First" + i + ",Last" + i + ","
                        + (i % 50 == 0 ? "Admin" : i % 5 == 0 ? "Staff" : "User") + ",Berlin,imported\n");
            }
        }
    }

    /** Seconds to COPY the file's rows into the baseline schema's users table (the raw limit). */
    private static double copy(HikariDataSource baseline, Path csv, int batch) throws Exception {
        UUID org = UUID.randomUUID();
        try (Connection c = baseline.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO organizations (id, name, path, depth) VALUES ('" + org + "', 'baseline " + batch
                    + "', ARRAY['" + org + "'::uuid], 1)");
            s.execute("CREATE TEMP TABLE staged (email text, first_name text, last_name text, role text, location text, "
                    + "tags text)");
            long start = System.nanoTime();
            try (Reader reader = Files.newBufferedReader(csv)) {
                c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY staged FROM STDIN WITH (FORMAT csv, HEADER true)",
                        reader);
            }
            s.execute("INSERT INTO users (id, org_id, email, first_name, last_name, role, location, tags) "
                    + "SELECT gen_random_uuid(), '" + org + "', email, first_name, last_name, role, location, "
                    + "string_to_array(tags, ';') FROM staged");
            double seconds = (System.nanoTime() - start) / 1e9;
            s.execute("DROP TABLE staged");
            return seconds;
        }
    }

    private static long events(KraftBroker broker, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            partitions.forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            return admin.listOffsets(request).all().get().values().stream().mapToLong(r -> r.offset()).sum();
        }
    }
}

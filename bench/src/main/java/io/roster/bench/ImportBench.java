package io.roster.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.roster.contracts.Topics;
import io.roster.gateway.Gateway;
import io.roster.infra.EmbeddedPostgresServer;
import io.roster.infra.KraftBroker;
import io.roster.persistence.Database;
import io.roster.persistence.DbSettings;
import io.roster.workers.Workers;
import java.io.BufferedWriter;
import java.io.Reader;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.roster.infra.Ports;
import java.net.URI;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.postgresql.PGConnection;

/**
 * Bulk import of generated users through the HTTP API (a streamed CSV upload) on the local stack as production runs
 * it: the gateway and the workers each in their own JVM ({@link ChildJvm}), a real broker and PostgreSQL, and the
 * workers' mailer delivering the invitation mails over SMTP to a server on loopback. Timed from the first byte of
 * the upload until the last {@code roster.user.invited} event is on Kafka. Beside it, in the same run, the raw
 * baseline: COPY of the same rows into the same table (its own schema, the same migrations and indexes; the
 * fastest of {@code --copy-runs}, each into an empty table). The peak
 * heap of each process is sampled over JMX during each import. A warm-up import (and COPY) of {@code --warmup}
 * rows runs first, unmeasured, so that the JIT compiler's work after start is not billed to the first size.
 * Mail delivery runs behind the import and is reported on its own line.
 */
final class ImportBench {

    private ImportBench() {
    }

    static void run(Bench.Options options) throws Exception {
        List<Integer> sizes = options.values().containsKey("sizes")
                ? java.util.Arrays.stream(options.values().get("sizes").split(",")).map(s -> Integer.parseInt(s.strip()))
                .toList() : List.of(100_000, 1_000_000);
        int warmup = options.integer("warmup", 20_000);
        int mailWait = options.integer("mail-wait-seconds", 120);
        String heap = options.values().getOrDefault("heap", "1g");
        int copyRuns = options.integer("copy-runs", 3);
        Path dir = Files.createTempDirectory("roster-bench-import-");
        Table table = new Table("rows", "raw COPY", "end to end (upload to last event)", "ratio",
                "peak heap gateway", "peak heap workers");
        GreenMail smtp = new GreenMail(new ServerSetup(Ports.free(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        String mailLine;
        try (KraftBroker broker = KraftBroker.start(dir.resolve("kafka"), 0, 6);
             EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dir.resolve("pg"), 0, false)) {
            int httpPort = Ports.free();
            Map<String, String> env = new HashMap<>(Map.of("ROSTER_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                    "ROSTER_DB_URL", postgres.jdbcUrl("postgres"), "ROSTER_DB_USER", "postgres", "ROSTER_DB_PASSWORD", "",
                    "ROSTER_HTTP_PORT", Integer.toString(httpPort), "ROSTER_ADMIN_EMAIL", BenchLogin.EMAIL,
                    "ROSTER_ADMIN_PASSWORD", BenchLogin.PASSWORD, "ROSTER_WORKERS_HEALTH_PORT", "0",
                    "ROSTER_SMTP_HOST", "127.0.0.1", "ROSTER_SMTP_PORT", Integer.toString(smtp.getSmtp().getPort())));
            env.put("ROSTER_MAX_CONCURRENT_JOBS", "100");
            env.put("ROSTER_DATA_DIR", dir.toString());
            // the workers' and gateway's own settings may be varied from the command line: --env NAME=value,...
            if (options.values().containsKey("env")) {
                for (String pair : options.values().get("env").split(",")) {
                    env.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
                }
            }
            List<String> jvm = List.of("-Xmx" + heap, "-Dlogback.configurationFile=roster-bench-logback.xml");
            System.err.printf("  gateway and workers start as their own JVMs (-Xmx%s); logs in %s%n", heap, dir);
            try (ChildJvm gateway = ChildJvm.start("gateway", Gateway.class, jvm, env, dir);
                 HikariDataSource baseline = Database.pool(new DbSettings(postgres.jdbcUrl("postgres"), "postgres", "",
                         "baseline", 2), "baseline");
                 HikariDataSource roster = Database.pool(new DbSettings(postgres.jdbcUrl("postgres"), "postgres", "",
                         "roster", 1), "bench")) {
                URI uri = URI.create("http://127.0.0.1:" + httpPort);
                HttpClient http = HttpClient.newHttpClient();
                BenchLogin login = awaitLogin(http, uri, gateway);
                try (ChildJvm workers = ChildJvm.start("workers", Workers.class, jvm, env, dir)) {
                    gateway.watch();
                    workers.watch();
                    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
                        Thread thread = new Thread(r, "bench-sampler");
                        thread.setDaemon(true);
                        return thread;
                    });
                    sampler.scheduleAtFixedRate(() -> {
                        gateway.sample();
                        workers.sample();
                    }, 0, 20, TimeUnit.MILLISECONDS);
                    // GreenMail keeps what it receives; the mailer's own record of sent mails is what is counted
                    sampler.scheduleAtFixedRate(() -> {
                        try {
                            smtp.purgeEmailFromAllMailboxes();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }, 10, 10, TimeUnit.SECONDS);
                    Upload upload = new Upload(http, uri, login, broker);
                    int invited = 0;
                    if (warmup > 0) {
                        Path csv = dir.resolve("warmup.csv");
                        write(csv, warmup, "w");
                        bestCopy(baseline, csv, 1);
                        upload.run(csv, warmup, () -> workers.checkAlive());
                        invited += warmup;
                        System.err.printf("  warm-up: %,d rows imported (not measured)%n", warmup);
                    }
                    long mailsBefore = mailsSent(roster);
                    long mailStart = System.nanoTime();
                    int batch = 0;
                    for (int rows : sizes) {
                        batch++;
                        Path csv = dir.resolve("users-" + rows + ".csv");
                        write(csv, rows, "b" + batch);
                        double raw = rows / bestCopy(baseline, csv, copyRuns);
                        gateway.resetPeak();
                        workers.resetPeak();
                        double seconds = upload.run(csv, rows, () -> workers.checkAlive());
                        invited += rows;
                        double ours = rows / seconds;
                        table.row(String.format("%,d", rows), Table.rate(raw), Table.rate(ours),
                                Table.ratio(ours / raw), String.format("%,d MB", gateway.peak() / (1024 * 1024)),
                                String.format("%,d MB", workers.peak() / (1024 * 1024)));
                    }
                    long expected = invited;
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(mailWait);
                    long sent;
                    while ((sent = mailsSent(roster)) < expected && System.nanoTime() < deadline) {
                        Thread.sleep(500);
                    }
                    double mailSeconds = (System.nanoTime() - mailStart) / 1e9;
                    long measured = sent - mailsBefore;
                    mailLine = String.format("Invitation mails into an SMTP server on loopback (GreenMail), delivered "
                                    + "behind the imports: %,d in %.1f s from the first measured upload = %s%s",
                            measured, mailSeconds, Table.rate(measured / mailSeconds).replace("/s", " mails/s"),
                            sent < expected ? String.format("; %,d still queued when the benchmark stopped waiting",
                                    expected - sent) : "; all delivered");
                    sampler.shutdownNow();
                }
            }
        } finally {
            smtp.stop();
        }
        System.out.printf("%nBulk import through the HTTP API (streamed CSV), the local stack on this machine%n%n");
        table.print();
        System.out.printf("%n%s%n", mailLine);
        System.out.printf("%nTarget: end to end at least 0.50x raw COPY; heap flat as the file grows.%n");
    }

    /** Uploads CSVs and waits for their events. */
    private record Upload(HttpClient http, URI uri, BenchLogin login, KraftBroker broker) {
        /** Seconds from the first byte of the upload to the last of its {@code rows} events on Kafka. */
        double run(Path csv, int rows, Runnable alive) throws Exception {
            long eventsBefore = events(broker, new Topics("roster.").userChanges());
            long start = System.nanoTime();
            HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(uri
                            .resolve("/api/v1/orgs/" + login.orgId() + "/jobs/invite"))
                    .header("Authorization", "Bearer " + login.token()).header("Content-Type", "text/csv")
                    .POST(HttpRequest.BodyPublishers.ofFile(csv)).build(), HttpResponse.BodyHandlers.ofString());
            if (accepted.statusCode() != 202) {
                throw new IllegalStateException("upload refused: " + accepted.body());
            }
            System.err.printf("  %,d rows uploaded in %.1f s%n", rows, (System.nanoTime() - start) / 1e9);
            long lastReport = System.nanoTime();
            long published;
            while ((published = events(broker, new Topics("roster.").userChanges()) - eventsBefore) < rows) {
                alive.run();
                Thread.sleep(100);
                if (System.nanoTime() - lastReport > 10e9) {
                    lastReport = System.nanoTime();
                    System.err.printf("  %,d of %,d events published%n", published, rows);
                }
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private static BenchLogin awaitLogin(HttpClient http, URI uri, ChildJvm gateway) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            gateway.checkAlive();
            try {
                return BenchLogin.of(http, uri);
            } catch (java.io.IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the gateway did not answer within 120 s", e);
                }
                Thread.sleep(250);
            }
        }
    }

    private static long mailsSent(HikariDataSource roster) throws Exception {
        try (Connection c = roster.getConnection(); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery(
                     "SELECT count(*) FROM processed_messages WHERE consumer = 'mailer'")) {
            rs.next();
            return rs.getLong(1);
        }
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

    /**
     * The fastest of {@code runs} COPYs of the file, each into a freshly migrated baseline schema (an empty users
     * table with every index): the raw limit, taken at its best so that noise favours the baseline.
     */
    private static double bestCopy(HikariDataSource baseline, Path csv, int runs) throws Exception {
        double best = Double.MAX_VALUE;
        for (int run = 1; run <= runs; run++) {
            try (Connection c = baseline.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS baseline CASCADE");
            }
            Database.migrate(baseline, "baseline");
            best = Math.min(best, copy(baseline, csv, run));
        }
        return best;
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

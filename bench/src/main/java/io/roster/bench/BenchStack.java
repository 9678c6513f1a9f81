package io.roster.bench;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.zaxxer.hikari.HikariDataSource;
import io.roster.gateway.Gateway;
import io.roster.infra.EmbeddedPostgresServer;
import io.roster.infra.KraftBroker;
import io.roster.infra.Ports;
import io.roster.platform.ThreadPriority;
import io.roster.persistence.Database;
import io.roster.persistence.DbSettings;
import io.roster.workers.Workers;
import io.roster.workers.mail.MailSender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The local stack as production runs it, for the benchmarks that go through the HTTP API: a real broker and
 * PostgreSQL (infrastructure, in this JVM), an SMTP server on loopback, and the gateway and the workers each in
 * their own JVM ({@link ChildJvm}, {@code -Xmx<heap>}), their heaps sampled every 100 ms (over JMX: a sample costs
 * both sides CPU). {@code --env NAME=value,...}
 * varies the apps' settings, {@code --jvm-options "-XX:... -XX:..."} adds options to both apps' JVMs.
 */
final class BenchStack implements AutoCloseable {

    /** The nice value of the SMTP server's receiving threads: the mailer's default. */
    private static final int MAIL_NICE = 19;

    final Path dir;
    final KraftBroker broker;
    final EmbeddedPostgresServer postgres;
    final GreenMail smtp;
    final ChildJvm gateway;
    final ChildJvm workers;
    /** Worker processes beyond the first ({@code --workers N}: N - 1 of them), one consumer group with it. */
    final List<ChildJvm> moreWorkers = new java.util.ArrayList<>();
    final HttpClient http = HttpClient.newHttpClient();
    final URI uri;
    final BenchLogin login;
    /** The apps' schema, for the benchmark's own reads. */
    final HikariDataSource roster;
    private final ScheduledExecutorService sampler;
    private Admin admin;
    private final boolean statements;

    private BenchStack(Path dir, Bench.Options options, String heap, Map<String, String> settings) throws Exception {
        this.dir = dir;
        MailSender.nameStreamProvider(); // GreenMail encodes with Jakarta Mail too
        smtp = new GreenMail(new ServerSetup(Ports.free(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        // Every recipient's mail lands in one mailbox (purged every 10 s, below). Left alone, GreenMail makes an
        // account with its own folders for each new recipient: a million of them by the end of the import
        // benchmark, the benchmark's own SMTP server then taking more of the machine than the mailer it measures.
        // The server stands for a mail provider elsewhere: the thread that receives a connection's mails runs at
        // the mailer's priority (ROSTER_MAILER_NICE's default), behind the jobs as the mailer itself.
        GreenMailUser sink = smtp.setUser("sink@bench.local", "sink", "sink");
        ThreadLocal<Boolean> lowered = ThreadLocal.withInitial(() -> ThreadPriority.lowerCurrent(MAIL_NICE));
        smtp.getUserManager().setMessageDeliveryHandler((message, address) -> {
            lowered.get();
            return sink;
        });
        broker = KraftBroker.start(dir.resolve("kafka"), 0, 6);
        // --statements true: PostgreSQL keeps statement statistics, printed after each job (statements())
        statements = Boolean.parseBoolean(options.string("statements", "false"));
        postgres = EmbeddedPostgresServer.start(dir.resolve("pg"), 0, false, statements
                ? Map.of("shared_preload_libraries", "pg_stat_statements", "pg_stat_statements.track", "all")
                : Map.of());
        int httpPort = Ports.free();
        Map<String, String> env = new HashMap<>(Map.of("ROSTER_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                "ROSTER_DB_URL", postgres.jdbcUrl("postgres"), "ROSTER_DB_USER", "postgres", "ROSTER_DB_PASSWORD", "",
                "ROSTER_HTTP_PORT", Integer.toString(httpPort), "ROSTER_ADMIN_EMAIL", BenchLogin.EMAIL,
                "ROSTER_ADMIN_PASSWORD", BenchLogin.PASSWORD, "ROSTER_WORKERS_HEALTH_PORT", "0",
                "ROSTER_SMTP_HOST", "127.0.0.1", "ROSTER_SMTP_PORT", Integer.toString(smtp.getSmtp().getPort())));
        env.put("ROSTER_MAX_CONCURRENT_JOBS", "100");
        env.put("ROSTER_DATA_DIR", dir.toString());
        env.putAll(settings);
        if (options.values().containsKey("env")) {
            for (String pair : options.values().get("env").split(",")) {
                env.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        List<String> extra = options.values().containsKey("jvm-options")
                ? List.of(options.values().get("jvm-options").strip().split("\\s+")) : List.of();
        List<String> jvm = new java.util.ArrayList<>(List.of("-Xmx" + heap,
                "-Dlogback.configurationFile=roster-bench-logback.xml"));
        jvm.addAll(extra);
        System.err.printf("  gateway and workers start as their own JVMs (-Xmx%s%s); logs in %s%n", heap,
                extra.isEmpty() ? "" : " " + String.join(" ", extra), dir);
        gateway = ChildJvm.start("gateway", Gateway.class, jvm, env, dir);
        uri = URI.create("http://127.0.0.1:" + httpPort);
        login = awaitLogin();
        workers = ChildJvm.start("workers", Workers.class, jvm, env, dir);
        for (int i = 2; i <= options.integer("workers", 1); i++) {
            moreWorkers.add(ChildJvm.start("workers-" + i, Workers.class, jvm, env, dir));
        }
        gateway.watch();
        workers.watch();
        roster = Database.pool(db("roster", 2), "bench");
        sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "bench-sampler");
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleAtFixedRate(() -> {
            gateway.sample();
            workers.sample();
        }, 0, 100, TimeUnit.MILLISECONDS);
        // GreenMail keeps what it receives; the mailer's own record of sent mails is what is counted
        sampler.scheduleAtFixedRate(() -> {
            try {
                smtp.purgeEmailFromAllMailboxes();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, 10, 10, TimeUnit.SECONDS);
    }

    static BenchStack start(Path dir, Bench.Options options) throws Exception {
        return start(dir, options, Map.of());
    }

    /** With {@code settings} for the apps (before any given by {@code --env}). */
    static BenchStack start(Path dir, Bench.Options options, Map<String, String> settings) throws Exception {
        return new BenchStack(dir, options, options.values().getOrDefault("heap", "1g"), settings);
    }

    /** Settings for a pool on {@code schema} of the benchmark's PostgreSQL. */
    DbSettings db(String schema, int poolSize) {
        return new DbSettings(postgres.jdbcUrl("postgres"), "postgres", "", schema, poolSize);
    }

    /** Starts a new peak heap in both apps (after a collection). */
    void resetPeaks() {
        gateway.resetPeak();
        workers.resetPeak();
    }

    /**
     * The two apps' peak heaps in use since {@link #resetPeaks}, formatted, with in brackets the live heap measured
     * meanwhile ({@link #measureLive}), if it was.
     */
    String[] peaks() {
        return new String[] {peak(gateway), peak(workers)};
    }

    private static String peak(ChildJvm app) {
        long mb = 1024 * 1024;
        return app.live() < 0 ? String.format("%,d MB", app.peak() / mb)
                : String.format("%,d MB (%,d MB)", app.peak() / mb, app.live() / mb);
    }

    /** The heap a full collection leaves in each app now (a pause in each, billed to what is being timed). */
    void measureLive() {
        gateway.measureLive();
        workers.measureLive();
    }

    /** Records on {@code topic} (all partitions) so far. */
    long records(String topic) throws Exception {
        synchronized (this) {
            // one client for every call: a benchmark waiting for its events asks ten times a second, and a client
            // of its own each time (threads, connection, metadata) cost the machine the job is measured on
            if (admin == null) {
                admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
            }
        }
        var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        return admin.listOffsets(request).all().get().values().stream().mapToLong(r -> r.offset()).sum();
    }

    /** An authenticated request to the gateway. */
    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri.resolve(path)).header("Authorization", "Bearer " + login.token());
    }

    /** POSTs JSON; returns the job's location, or throws with the answer when it is not 202. */
    String submit(String path, String json) throws Exception {
        HttpResponse<String> response = http.send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.headers().firstValue("Location").orElseThrow();
    }

    /**
     * With {@code --statements true}: prints the statements that took most of PostgreSQL's time since the last call
     * (to stderr, for finding where a job spends it), then starts counting afresh.
     */
    void statements(String label) throws Exception {
        if (!statements) {
            return;
        }
        try (java.sql.Connection c = roster.getConnection(); java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            try (java.sql.ResultSet rs = s.executeQuery("SELECT total_exec_time, calls, rows, left(regexp_replace("
                    + "query, '\\s+', ' ', 'g'), 150) FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15")) {
                System.err.printf("  PostgreSQL statements, %s:%n", label);
                while (rs.next()) {
                    System.err.printf("  %9.0f ms %8d calls %9d rows  %s%n", rs.getDouble(1), rs.getLong(2),
                            rs.getLong(3), rs.getString(4));
                }
            }
            s.execute("SELECT pg_stat_statements_reset()");
        }
    }

    /**
     * Waits until the job has finished; returns its JSON. Polls at most every 100 ms and at most a hundred times a
     * second of waiting so far: the end is known within 1% of the job's time, and the polls (each one authenticated
     * and read from PostgreSQL) do not load a machine whose two cores the job itself keeps busy.
     */
    String awaitFinished(String job) throws Exception {
        long start = System.nanoTime();
        while (true) {
            workers.checkAlive();
            moreWorkers.forEach(ChildJvm::checkAlive);
            String body = http.send(request(job).build(), HttpResponse.BodyHandlers.ofString()).body();
            if (body.contains("\"finishedAt\":\"")) {
                return body;
            }
            Thread.sleep(Math.max(5, Math.min(100, (System.nanoTime() - start) / 100_000_000L)));
        }
    }

    private BenchLogin awaitLogin() throws Exception {
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

    @Override
    public void close() throws Exception {
        sampler.shutdownNow();
        synchronized (this) {
            if (admin != null) {
                admin.close();
            }
        }
        try (postgres; broker) {
            for (ChildJvm more : moreWorkers) {
                more.close();
            }
            workers.close();
            gateway.close();
            roster.close();
        } finally {
            smtp.stop();
        }
    }
}

package io.roster.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.zaxxer.hikari.HikariDataSource;
import io.roster.contracts.Topics;
import io.roster.contracts.event.UserChangeEvent;
import io.roster.contracts.serde.Json;
import io.roster.infra.EmbeddedPostgresServer;
import io.roster.infra.KraftBroker;
import io.roster.infra.Ports;
import io.roster.launcher.LocalCluster;
import io.roster.persistence.Database;
import io.roster.persistence.DbSettings;
import io.roster.persistence.Tx;
import io.roster.persistence.UserRows;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The fault suite: a mixed workload (a large CSV import, then a bulk tag and an export at once, then a transfer,
 * and an admin logging in twice a second throughout, which feeds the status topology) on a scaled-out system
 * ({@link LocalCluster}: gateways, workers and streams instances each a JVM), while one at a time, at random points,
 * a gateway, a worker, a streams instance, the broker (a JVM of its own) and PostgreSQL (the postmaster and its
 * backends) are killed with SIGKILL and started again (the apps by the cluster, the broker and the database by the
 * suite). After each fault it checks that the system recovered and work went on; at the end, that every job
 * finished with counts equal to its rows, that the users table is what the applied rows say, that each committed
 * change has exactly one event id on the change topic, that the snapshot topic equals the table, and that no mail was
 * delivered twice. It prints each fault and each invariant with its result.
 */
final class FaultSuite implements AutoCloseable {

    static final String ADMIN = "faults@roster.local";
    static final String PASSWORD = "fault suite admin password";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.WRITE_PROPERTIES_SORTED).build();

    /** The suite's settings. */
    record Config(int rows, long seed, int gateways, int workers, int streams, List<String> faults,
                  Duration interval, Map<String, String> appSettings, Path dir) {
    }

    /** One fault as injected: what, which, when, at what progress, how long until everything answered again. */
    record Fault(String kind, String target, Instant at, String during, double recoverySeconds, String check,
                 boolean holds) {
    }

    /** One invariant's verdict. */
    record Verdict(String invariant, String detail, boolean holds) {
    }

    private final Config config;
    private final Random random;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final GreenMail smtp;
    private final Map<String, AtomicInteger> mailsById = new ConcurrentHashMap<>();
    private final AtomicLong mailsDelivered = new AtomicLong();
    private final int kafkaPort;
    private final int dbPort;
    private final Path kafkaDir;
    private final Path pgDir;
    private volatile Process broker;
    private volatile Process postgres;
    private LocalCluster cluster;
    private HikariDataSource pool;
    private final Topics topics = new Topics("roster.");
    private final List<Fault> faults = Collections.synchronizedList(new ArrayList<>());
    private volatile String phase = "starting";
    private volatile String token;
    private String orgId;

    FaultSuite(Config config) throws Exception {
        this.config = config;
        this.random = new Random(config.seed());
        this.kafkaPort = Ports.free();
        this.dbPort = Ports.free();
        this.kafkaDir = config.dir().resolve("kafka");
        this.pgDir = config.dir().resolve("postgres");
        smtp = new GreenMail(new ServerSetup(Ports.free(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        GreenMailUser sink = smtp.setUser("sink@faults.local", "sink", "sink");
        smtp.getUserManager().setMessageDeliveryHandler((message, address) -> {
            try {
                String[] id = message.getMessage().getHeader("X-Roster-Mail-Id");
                if (id != null && id.length > 0) {
                    mailsById.computeIfAbsent(id[0], k -> new AtomicInteger()).incrementAndGet();
                }
                mailsDelivered.incrementAndGet();
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
            return sink;
        });
    }

    /**
     * {@code faults [--rows 1000000] [--seed N] [--gateways 2] [--workers 3] [--streams 2]
     * [--faults gateway,workers,streams,broker,postgres] [--fault-interval-seconds 20] [--env NAME=value,...]}:
     * runs the suite, prints its report. @return whether every fault recovered and every invariant held
     */
    static boolean run(Bench.Options options) throws Exception {
        Map<String, String> settings = new HashMap<>();
        if (options.values().containsKey("env")) {
            for (String pair : options.values().get("env").split(",")) {
                settings.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        Config config = new Config(options.integer("rows", 1_000_000),
                Long.parseLong(options.string("seed", Long.toString(System.currentTimeMillis() % 100_000))),
                options.integer("gateways", 2), options.integer("workers", 3), options.integer("streams", 2),
                List.of(options.string("faults", "gateway,workers,streams,broker,postgres").split(",")),
                Duration.ofSeconds(options.integer("fault-interval-seconds", 20)), Map.copyOf(settings),
                Files.createTempDirectory("roster-faults-"));
        System.err.printf("  fault suite: seed %d (--seed %d runs the same faults in the same order), data in %s%n",
                config.seed(), config.seed(), config.dir());
        try (FaultSuite suite = new FaultSuite(config)) {
            Report report = suite.run();
            report.print(System.out);
            return report.allHold();
        }
    }

    /** Runs the workload and the faults, checks the invariants; the report says whether all held. */
    Report run() throws Exception {
        Files.createDirectories(config.dir());
        startBroker();
        startPostgres();
        Map<String, String> env = new HashMap<>();
        env.put("ROSTER_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + kafkaPort);
        env.put("ROSTER_DB_URL", "jdbc:postgresql://127.0.0.1:" + dbPort + "/roster");
        env.put("ROSTER_DB_USER", "postgres");
        env.put("ROSTER_DB_PASSWORD", "");
        env.put("ROSTER_DATA_DIR", config.dir().toString());
        env.put("ROSTER_ADMIN_EMAIL", ADMIN);
        env.put("ROSTER_ADMIN_PASSWORD", PASSWORD);
        env.put("ROSTER_SMTP_HOST", "127.0.0.1");
        env.put("ROSTER_SMTP_PORT", Integer.toString(smtp.getSmtp().getPort()));
        env.put("ROSTER_MAX_CONCURRENT_JOBS", "100");
        env.put("ROSTER_CLUSTER_HEAP", "384m");
        env.putAll(config.appSettings());
        System.err.printf("  starting %d gateway(s), %d worker(s), %d streams instance(s); logs in %s%n",
                config.gateways(), config.workers(), config.streams(), config.dir().resolve("logs"));
        cluster = LocalCluster.start(env, config.gateways(), config.workers(), config.streams());
        pool = Database.pool(new DbSettings("jdbc:postgresql://127.0.0.1:" + dbPort + "/roster", "postgres", "",
                "roster", 2), "fault-suite");

        Thread logins = new Thread(this::logInRepeatedly, "fault-suite-logins");
        logins.setDaemon(true);
        JsonNode login = call("POST", "/api/v1/auth/login", Map.of("email", ADMIN, "password", PASSWORD), null);
        token = login.get("token").asText();
        orgId = login.at("/user/orgId").asText();
        logins.start();

        Workload workload = new Workload();
        Thread work = new Thread(workload, "fault-suite-workload");
        work.start();
        workload.uploaded.await();
        // the faults, one at a time, at random points while the jobs run
        List<String> order = new ArrayList<>(config.faults());
        Collections.shuffle(order, random);
        for (String kind : order) {
            long pause = config.interval().toMillis() / 2 + (long) (random.nextDouble() * config.interval().toMillis() / 2);
            Thread.sleep(pause);
            try {
                inject(kind);
            } catch (Exception | AssertionError e) {
                faults.add(new Fault(kind, kind, Instant.now(), phase, 0, "did not recover: " + e, false));
                System.err.println("  the system did not recover from " + kind + ": " + e);
                break;
            }
        }
        faultsDone = true;
        work.join(Duration.ofHours(2).toMillis());
        stopping = true;
        List<Verdict> verdicts = workload.failure == null ? check(workload) : List.of(new Verdict(
                "the workload ran to its end", workload.failure.toString(), false));
        return new Report(config, List.copyOf(faults), verdicts);
    }

    private volatile boolean stopping;

    /** Kills one component of the kind with SIGKILL, brings it back, and checks that work goes on. */
    private void inject(String kind) throws Exception {
        long rowsBefore = appliedRows();
        String during = phase;
        Instant at = Instant.now();
        String target;
        long start = System.nanoTime();
        switch (kind) {
            case "gateway", "workers", "streams" -> {
                List<String> names = cluster.ports().keySet().stream().filter(n -> n.startsWith(kind)).toList();
                target = names.get(random.nextInt(names.size()));
                System.err.printf("  fault: kill -9 %s (pid %d) during %s%n", target, cluster.pid(target), during);
                cluster.kill(target);
            }
            case "broker" -> {
                target = "broker (pid " + broker.pid() + ")";
                System.err.printf("  fault: kill -9 the broker (pid %d) during %s%n", broker.pid(), during);
                broker.destroyForcibly().onExit().join();
                Thread.sleep(2_000);
                startBroker();
            }
            case "postgres" -> {
                target = "PostgreSQL (postmaster and backends)";
                System.err.printf("  fault: kill -9 PostgreSQL during %s%n", during);
                EmbeddedPostgresServer.crash(pgDir);
                postgres.destroyForcibly().onExit().join(); // and the process that started it
                Thread.sleep(2_000);
                startPostgres();
            }
            default -> throw new IllegalArgumentException("unknown fault " + kind
                    + " (gateway, workers, streams, broker, postgres)");
        }
        cluster.awaitHealthy();
        double recovery = (System.nanoTime() - start) / 1e9;
        // work goes on: rows are applied after the recovery (or the workload had already finished)
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        long rowsAfter = appliedRows();
        while (rowsAfter <= rowsBefore && !workloadDone && System.nanoTime() < deadline) {
            Thread.sleep(500);
            rowsAfter = appliedRows();
        }
        boolean holds = rowsAfter > rowsBefore || workloadDone;
        faults.add(new Fault(kind, target, at, during, recovery, String.format(
                "every instance healthy again; rows applied went on (%,d to %,d)", rowsBefore, rowsAfter), holds));
        System.err.printf("  recovered in %.1f s; rows applied %,d -> %,d%n", recovery, rowsBefore, rowsAfter);
    }

    private volatile boolean workloadDone;
    private volatile boolean faultsDone;

    /** Rows applied by all jobs so far (0 while the database is away). */
    private long appliedRows() {
        for (int attempt = 0; attempt < 60; attempt++) {
            try {
                return Tx.run(pool, c -> {
                    try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(sum(processed), 0) FROM jobs");
                         ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                });
            } catch (RuntimeException e) {
                sleep(1_000);
            }
        }
        throw new IllegalStateException("the database did not answer for a minute");
    }

    /** A JVM of ours running {@code main} (the broker, or PostgreSQL's starter) with {@code env}, its log in the data dir. */
    private Process child(Class<?> main, Map<String, String> env, String log) throws IOException {
        String javaCommand = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(javaCommand, "-Xmx512m",
                "-Dlogback.configurationFile=roster-bench-logback.xml", "-cp", System.getProperty("java.class.path"),
                main.getName()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(config.dir().resolve(log).toFile()));
        builder.environment().putAll(env);
        return builder.start();
    }

    private void startBroker() throws IOException {
        broker = child(KraftBroker.class, Map.of("ROSTER_KAFKA_LOG_DIR", kafkaDir.toString(),
                "ROSTER_KAFKA_PORT", Integer.toString(kafkaPort), "ROSTER_TOPIC_PARTITIONS", "6"), "broker.log");
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafkaPort))) {
            while (true) {
                try {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    return;
                } catch (Exception e) {
                    if (!broker.isAlive() || System.nanoTime() > deadline) {
                        throw new IllegalStateException("the broker did not start; see " + config.dir().resolve(
                                "broker.log"), e);
                    }
                    sleep(250);
                }
            }
        }
    }

    /** Starts PostgreSQL in a process of its own; returns once the database {@code roster} answers. */
    private void startPostgres() throws IOException {
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos(); // crash recovery replays the WAL
        while (true) {
            postgres = child(EmbeddedPostgresServer.class, Map.of("ROSTER_PG_DIR", pgDir.toString(),
                    "ROSTER_DB_PORT", Integer.toString(dbPort)), "postgres.log");
            while (postgres.isAlive() && System.nanoTime() < deadline) {
                try (java.sql.Connection c = java.sql.DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + dbPort + "/roster", "postgres", "")) {
                    return;
                } catch (java.sql.SQLException e) {
                    sleep(250);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("PostgreSQL did not start; see " + config.dir().resolve("postgres.log"));
            }
            sleep(1_000); // a crashed postmaster's backends may hold its shared memory a moment longer: again
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private final AtomicLong loginsOk = new AtomicLong();
    private final AtomicLong loginsFailed = new AtomicLong();

    /** The admin logs in twice a second on a random gateway: the status topology's input all along. */
    private void logInRepeatedly() {
        while (!stopping) {
            try {
                call("POST", "/api/v1/auth/login", Map.of("email", ADMIN, "password", PASSWORD), null);
                loginsOk.incrementAndGet();
            } catch (Exception e) {
                loginsFailed.incrementAndGet();
            }
            sleep(500);
        }
    }

    // ---- the workload ------------------------------------------------------------------------------------------

    /** The jobs, in order: import; tag and export at once; transfer. Each awaited to its end. */
    private final class Workload implements Runnable {
        final java.util.concurrent.CountDownLatch uploaded = new java.util.concurrent.CountDownLatch(1);
        volatile Throwable failure;
        final Map<String, JsonNode> jobs = new LinkedHashMap<>();
        String destOrg;
        String destAdmin;
        int transferred;

        @Override
        public void run() {
            try {
                phase = "set-up";
                JsonNode sub = call("POST", "/api/v1/orgs/" + orgId + "/sub-orgs", Map.of("name", "Destination"),
                        "faults-sub-org");
                destOrg = sub.get("id").asText();
                destAdmin = "destination-admin@faults.example";
                jobs.put("set-up invite", finish(submit("/api/v1/orgs/" + destOrg + "/jobs/invite", Map.of("users",
                        List.of(Map.of("email", destAdmin, "firstName", "Dest", "role", "Admin"))), "faults-dest")));

                Path csv = config.dir().resolve("import.csv");
                ImportBench.write(csv, config.rows(), "f");
                phase = "the import's upload";
                String importJob = upload(csv);
                uploaded.countDown();
                phase = "the import of " + String.format("%,d", config.rows()) + " rows";
                jobs.put("import", finish(importJob));

                phase = "the bulk tag and the export";
                String tag = submit("/api/v1/orgs/" + orgId + "/jobs/tag", Map.of("filter", Map.of(), "tag", "faults",
                        "create", true), "faults-tag");
                String export = submit("/api/v1/orgs/" + orgId + "/jobs/export", Map.of("filter", Map.of()),
                        "faults-export");
                jobs.put("tag", finish(tag));
                jobs.put("export", finish(export));

                phase = "the transfer";
                List<String> ids = new ArrayList<>();
                JsonNode page = call("GET", "/api/v1/orgs/" + orgId + "/users?role=User&sort=email&limit="
                        + Math.min(1000, Math.max(10, config.rows() / 10)), null, null);
                page.get("items").forEach(u -> ids.add(u.get("id").asText()));
                transferred = ids.size();
                jobs.put("transfer", finish(submit("/api/v1/orgs/" + orgId + "/jobs/transfer", Map.of("userIds", ids,
                        "destinationAdminEmail", destAdmin), "faults-transfer")));
                // bulk tags of everyone, round after round, until every fault has been injected
                for (int round = 1; !faultsDone; round++) {
                    phase = "bulk tag round " + round;
                    jobs.put("round-" + round, finish(submit("/api/v1/orgs/" + orgId + "/jobs/tag", Map.of("filter",
                            Map.of(), "tag", "round-" + round, "create", true), "faults-round-" + round)));
                }
                phase = "idle (the workload is done)";
            } catch (Throwable e) {
                failure = e;
            } finally {
                uploaded.countDown();
                workloadDone = true;
            }
        }

        private String upload(Path csv) throws Exception {
            for (int attempt = 0; ; attempt++) {
                URI gateway = gateway();
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(gateway.resolve("/api/v1/orgs/"
                                    + orgId + "/jobs/invite")).header("Authorization", "Bearer " + token)
                            .header("Idempotency-Key", "faults-import").header("Content-Type", "text/csv")
                            .POST(HttpRequest.BodyPublishers.ofFile(csv)).build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 202) {
                        throw new IllegalStateException("the import was refused: " + response.body());
                    }
                    return response.headers().firstValue("Location").orElseThrow();
                } catch (IOException e) {
                    if (attempt > 10) {
                        throw e;
                    }
                    sleep(1_000);
                }
            }
        }
    }

    /** Submits a job with an idempotency key (retried on any gateway until accepted); returns its Location. */
    private String submit(String path, Object body, String key) throws Exception {
        return call("POST", path, body, key).get("location").asText();
    }

    /** Polls the job on any gateway until it has finished (two hours at most); returns it. */
    private JsonNode finish(String location) throws Exception {
        long deadline = System.nanoTime() + Duration.ofHours(2).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                JsonNode job = call("GET", location, null, null);
                if (!job.path("finishedAt").isNull() && !job.path("finishedAt").isMissingNode()) {
                    return job;
                }
            } catch (Exception e) {
                // a gateway or the database away: ask again
            }
            sleep(500);
        }
        throw new IllegalStateException("job " + location + " did not finish within two hours");
    }

    private URI gateway() {
        List<Integer> ports = cluster.ports().entrySet().stream().filter(e -> e.getKey().startsWith("gateway"))
                .map(Map.Entry::getValue).toList();
        return URI.create("http://127.0.0.1:" + ports.get(java.util.concurrent.ThreadLocalRandom.current().nextInt(ports.size())));
    }

    /**
     * One API call on a random gateway, retried (on another gateway, after a pause) while gateways or what they
     * need are away: connection failures and 5xx, for up to five minutes. A 202's Location is returned as
     * {@code {"location": ...}}.
     */
    private JsonNode call(String method, String path, Object body, String idempotencyKey) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            HttpRequest.Builder request = HttpRequest.newBuilder(gateway().resolve(path)).timeout(Duration.ofSeconds(30));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            if (idempotencyKey != null) {
                request.header("Idempotency-Key", idempotencyKey);
            }
            if (body != null) {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 202 && response.headers().firstValue("Location").isPresent()) {
                    return JSON.createObjectNode().put("location", response.headers().firstValue("Location").get());
                }
                if (response.statusCode() < 300) {
                    return JSON.readTree(response.body());
                }
                if (response.statusCode() < 500 && response.statusCode() != 429) {
                    throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                            + response.body());
                }
                last = new IOException(method + " " + path + " answered " + response.statusCode());
            } catch (IOException e) {
                last = e;
            }
            sleep(1_000);
        }
        throw last;
    }

    // ---- the invariants ----------------------------------------------------------------------------------------

    private List<Verdict> check(Workload workload) throws Exception {
        List<Verdict> verdicts = new ArrayList<>();
        awaitOutboxDrained();
        verdicts.add(noJobStuck());
        verdicts.add(countsEqualRows());
        verdicts.add(tableMatchesRows(workload));
        verdicts.addAll(changeTopic(workload));
        verdicts.add(snapshotsEqualTable());
        verdicts.add(mailsOnce());
        verdicts.add(new Verdict("logins went on through the faults", String.format("%,d logins fed the status topology "
                        + "(%,d refused while a gateway or the database was away)", loginsOk.get(), loginsFailed.get()),
                loginsOk.get() > 0));
        return verdicts;
    }

    private void awaitOutboxDrained() {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (count("SELECT count(*) FROM outbox") > 0 && System.nanoTime() < deadline) {
            sleep(500);
        }
    }

    private long count(String sql) {
        return Tx.run(pool, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private Verdict noJobStuck() {
        long open = count("SELECT count(*) FROM jobs WHERE state IN ('queued', 'running')");
        long all = count("SELECT count(*) FROM jobs");
        return new Verdict("no job is stuck", String.format("%d jobs, %d still queued or running", all, open),
                open == 0);
    }

    private Verdict countsEqualRows() {
        long wrong = count("SELECT count(*) FROM jobs j WHERE j.processed <> j.total "
                + "OR j.succeeded + j.failed + j.skipped <> j.processed OR j.chunks_done <> j.chunk_count "
                + "OR j.chunks_done <> (SELECT count(*) FROM job_chunks c WHERE c.job_id = j.id) "
                + "OR j.failed <> (SELECT count(DISTINCT e.row_no) FROM job_errors e WHERE e.job_id = j.id "
                + "AND j.type <> 'export')");
        return new Verdict("each job's counts equal its rows", "total = processed = succeeded + failed + skipped, "
                + "one chunk record per chunk, one row error per failed row: " + wrong + " job(s) differ", wrong == 0);
    }

    private Verdict tableMatchesRows(Workload workload) {
        int imported = workload.jobs.get("import").get("succeeded").asInt();
        int tagged = workload.jobs.get("tag").get("succeeded").asInt();
        int moved = workload.jobs.get("transfer").get("succeeded").asInt();
        long root = count("SELECT count(*) FROM users WHERE org_id = '" + orgId + "'");
        long dest = count("SELECT count(*) FROM users WHERE org_id = '" + workload.destOrg + "'");
        long withTag = count("SELECT count(*) FROM user_tags WHERE org_id = '" + orgId
                + "' AND 'faults' = ANY (tags)");
        int exported = workload.jobs.get("export").get("succeeded").asInt();
        boolean holds = imported == config.rows() && root == 1 + imported - moved && dest == 1 + moved
                && moved == workload.transferred && withTag == tagged - moved && tagged == 1 + imported
                && exported == 1 + imported;
        StringBuilder rounds = new StringBuilder();
        for (var job : workload.jobs.entrySet()) {
            if (job.getKey().startsWith("round-")) {
                long carrying = count("SELECT count(*) FROM user_tags WHERE org_id = '" + orgId + "' AND '"
                        + job.getKey() + "' = ANY (tags)");
                int succeeded = job.getValue().get("succeeded").asInt();
                holds &= carrying == succeeded && succeeded == root;
                rounds.append(String.format("; %s: %,d tagged, %,d carry it", job.getKey(), succeeded, carrying));
            }
        }
        return new Verdict("the users table is what the applied rows say", String.format("import %,d of %,d rows, "
                        + "tag %,d, export %,d, transfer %,d of %,d; organization %,d users (1 + %,d - %,d), destination "
                        + "%,d (1 + %,d), tagged %,d (%,d - %,d)%s", imported, config.rows(), tagged, exported, moved,
                workload.transferred, root, imported, moved, dest, moved, withTag, tagged, moved, rounds), holds);
    }

    private List<Verdict> changeTopic(Workload workload) throws Exception {
        Map<String, UUID> idByChange = new HashMap<>();
        Map<String, Integer> idsByType = new HashMap<>();
        long records = 0;
        long conflicts = 0;
        long copies = 0;
        java.util.Set<UUID> seen = new java.util.HashSet<>();
        for (ConsumerRecord<String, byte[]> record : readAll(topics.userChanges())) {
            records++;
            UserChangeEvent event = Json.read(record.value(), UserChangeEvent.class);
            if (!seen.add(event.id())) {
                copies++;
                continue;
            }
            String type = event.type();
            idsByType.merge(type, 1, Integer::sum);
            // a user is invited once and moved once, and tagged once by each tag job: one id per change
            String change = type + "/" + event.data().userId() + (event.data() instanceof
                    io.roster.contracts.event.UserTagsChanged tags ? "/" + tags.jobId() : "");
            UUID before = idByChange.put(change, event.id());
            if (before != null) {
                conflicts++;
            }
        }
        // everyone was invited: the first admin, the destination's admin and the imported users
        int invited = (int) count("SELECT count(*) FROM users");
        int tagged = workload.jobs.entrySet().stream().filter(j -> j.getKey().equals("tag")
                || j.getKey().startsWith("round-")).mapToInt(j -> j.getValue().get("succeeded").asInt()).sum();
        int moved = workload.jobs.get("transfer").get("succeeded").asInt();
        int invitedEvents = idsByType.getOrDefault("io.roster.user.invited.v1", 0);
        int taggedEvents = idsByType.getOrDefault("io.roster.user.tags-changed.v1", 0);
        int movedEvents = idsByType.getOrDefault("io.roster.user.transferred.v1", 0);
        boolean counts = invitedEvents == invited && taggedEvents == tagged && movedEvents == moved;
        return List.of(new Verdict("every committed change has exactly one event id", String.format("%,d records, "
                        + "%,d distinct ids (%,d copies of an id re-delivered, allowed); invited %,d of %,d, tagged %,d of "
                        + "%,d, transferred %,d of %,d; %,d change(s) with a second id", records, seen.size(), copies,
                invitedEvents, invited, taggedEvents, tagged, movedEvents, moved, conflicts), counts && conflicts == 0));
    }

    /** Compared again for up to a minute: the last logins' status changes may still be on their way. */
    private Verdict snapshotsEqualTable() throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        Verdict verdict = compareSnapshots();
        while (!verdict.holds() && System.nanoTime() < deadline) {
            sleep(2_000);
            verdict = compareSnapshots();
        }
        return verdict;
    }

    private Verdict compareSnapshots() throws Exception {
        Map<String, byte[]> topic = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : readAll(topics.users())) {
            if (record.value() == null) {
                topic.remove(record.key());
            } else {
                topic.put(record.key(), record.value());
            }
        }
        Map<String, byte[]> table = Tx.run(pool, c -> {
            Map<String, byte[]> users = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + UserRows.SNAPSHOT + UserRows.SNAPSHOTS)) {
                ps.setFetchSize(10_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        var user = UserRows.snapshot(rs);
                        users.put(user.id().toString(), Json.write(user));
                    }
                }
            }
            return users;
        });
        List<String> differ = table.entrySet().stream().filter(e -> !topic.containsKey(e.getKey())
                || hash(e.getValue()) != hash(topic.get(e.getKey()))).map(Map.Entry::getKey).toList();
        long extra = topic.keySet().stream().filter(k -> !table.containsKey(k)).count();
        String first = differ.isEmpty() ? "" : "; the first: table " + new String(table.get(differ.get(0)),
                StandardCharsets.UTF_8) + " topic " + (topic.containsKey(differ.get(0))
                ? new String(topic.get(differ.get(0)), StandardCharsets.UTF_8) : "none");
        return new Verdict("the snapshot topic equals the table", String.format("%,d users in the table, %,d on the "
                + "topic (latest per key); %,d differ or are missing, %,d on the topic only%s", table.size(),
                topic.size(), differ.size(), extra, first), differ.isEmpty() && extra == 0);
    }

    private static long hash(byte[] json) {
        try {
            byte[] canonical = CANONICAL.writeValueAsBytes(CANONICAL.readTree(json));
            long h = 1125899906842597L;
            for (byte b : canonical) {
                h = 31 * h + b;
            }
            return h ^ ((long) canonical.length << 48);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Verdict mailsOnce() {
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        long expected = count("SELECT count(*) FROM users") - 1; // every invited user is mailed (the first admin not)
        while (mailsById.size() < expected && System.nanoTime() < deadline) {
            sleep(1_000);
        }
        long twice = mailsById.values().stream().filter(n -> n.get() > 1).count();
        long copies = mailsById.values().stream().mapToLong(n -> n.get() - 1).sum();
        // SMTP takes no transaction: a mailer killed after the server accepted a mail and before its record
        // committed sends that one mail again (same X-Roster-Mail-Id and Message-ID). Anything beyond one copy per
        // killed worker is a mail sent twice by a running system.
        long mailersKilled = faults.stream().filter(f -> f.kind().equals("workers")).count();
        return new Verdict("no mail is sent twice", String.format("%,d distinct mails delivered (at least the %,d "
                        + "invitations), %,d deliveries; %,d copies of %,d mail(s), at most one allowed per worker killed "
                        + "(%d): the mail in flight, with its Message-ID", mailsById.size(), expected,
                mailsDelivered.get(), copies, twice, mailersKilled),
                copies <= mailersKilled && mailsById.size() >= expected);
    }

    /** Every record of a topic from its beginning to its end now. */
    private List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafkaPort,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }

    @Override
    public void close() {
        stopping = true;
        if (pool != null) {
            pool.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        stop(broker);
        stop(postgres);
        smtp.stop();
    }

    /** SIGTERM, and a minute to shut down cleanly. */
    private static void stop(Process process) {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            process.waitFor(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the suite found. */
    record Report(Config config, List<Fault> faults, List<Verdict> verdicts) {
        boolean allHold() {
            return faults.stream().allMatch(Fault::holds) && verdicts.stream().allMatch(Verdict::holds)
                    && faults.size() == config.faults().size();
        }

        void print(PrintStream out) {
            out.printf("%nFault suite: seed %d, %,d rows imported, %d gateway(s), %d worker(s), %d streams "
                            + "instance(s), one fault at a time%n%n", config.seed(), config.rows(), config.gateways(),
                    config.workers(), config.streams());
            Table table = new Table("#", "fault (SIGKILL, then started again)", "during", "back in", "checked",
                    "result");
            int n = 0;
            for (Fault fault : faults) {
                table.row(Integer.toString(++n), fault.target(), fault.during(), String.format("%.1f s",
                        fault.recoverySeconds()), fault.check(), fault.holds() ? "holds" : "FAILS");
            }
            table.print();
            out.println();
            Table invariants = new Table("invariant, after the run", "what was found", "result");
            for (Verdict verdict : verdicts) {
                invariants.row(verdict.invariant(), verdict.detail(), verdict.holds() ? "holds" : "FAILS");
            }
            invariants.print();
            out.printf("%n%s%n", allHold() ? "Every fault recovered and every invariant holds."
                    : "Something FAILS (above).");
        }
    }
}

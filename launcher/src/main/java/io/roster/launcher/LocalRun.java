package io.roster.launcher;

import io.roster.infra.EmbeddedPostgresServer;
import io.roster.infra.KraftBroker;
import io.roster.infra.Ports;
import io.roster.platform.Settings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar launcher/target/roster-local.jar}: the whole system on embedded defaults. Starts a real KRaft
 * broker and a real PostgreSQL keeping their data under {@code ROSTER_DATA_DIR} (default {@code .roster-data}),
 * then the three apps; prints where the API listens and how to log in; stops everything cleanly on Ctrl-C.
 *
 * <p>Settings: {@code ROSTER_DATA_DIR}, {@code ROSTER_HTTP_PORT} (8080), {@code ROSTER_KAFKA_PORT} (9092, or any
 * free port when taken), {@code ROSTER_DB_PORT} (5433, likewise), {@code ROSTER_ADMIN_EMAIL},
 * {@code ROSTER_ADMIN_PASSWORD}, and every setting of the apps themselves.
 */
public final class LocalRun implements AutoCloseable {

    private final KraftBroker broker;
    private final EmbeddedPostgresServer postgres;
    private final RosterSystem system;
    private final Map<String, String> env;

    private LocalRun(KraftBroker broker, EmbeddedPostgresServer postgres, RosterSystem system, Map<String, String> env) {
        this.broker = broker;
        this.postgres = postgres;
        this.system = system;
        this.env = env;
    }

    /**
     * Starts infrastructure and apps on {@code given} (the process environment, in production). A broker named by
     * {@code ROSTER_KAFKA_BOOTSTRAP_SERVERS} or a database named by {@code ROSTER_DB_URL} is used as it is, and no
     * embedded one is started in its place: the end-to-end tests run this very launcher against their shared
     * infrastructure that way.
     */
    public static LocalRun start(Map<String, String> given) {
        Infra infra = Infra.start(given);
        try {
            Map<String, String> env = new HashMap<>(infra.env());
            env.putIfAbsent("ROSTER_WORKERS_HEALTH_PORT", Integer.toString(Ports.preferOrFree(8081)));
            env.putIfAbsent("ROSTER_STREAMS_HEALTH_PORT", Integer.toString(Ports.preferOrFree(8082)));
            RosterSystem system = RosterSystem.start(env);
            return new LocalRun(infra.broker(), infra.postgres(), system, Map.copyOf(env));
        } catch (RuntimeException e) {
            infra.close();
            throw e;
        }
    }

    /**
     * The broker and the database of a local run (or of a {@link LocalCluster}): embedded ones keeping their data
     * under {@code ROSTER_DATA_DIR} unless {@code ROSTER_KAFKA_BOOTSTRAP_SERVERS} or {@code ROSTER_DB_URL} name
     * others; {@code env} is the given environment with their addresses (and the data directory made absolute).
     * Writes the connection file the {@code admin} commands read.
     */
    record Infra(KraftBroker broker, EmbeddedPostgresServer postgres, Map<String, String> env, Path dataDir)
            implements AutoCloseable {

        static Infra start(Map<String, String> given) {
            Settings settings = new Settings(given);
            Path dataDir = Path.of(settings.string("ROSTER_DATA_DIR", ".roster-data")).toAbsolutePath();
            Map<String, String> env = new HashMap<>(given);
            env.put("ROSTER_DATA_DIR", dataDir.toString());
            KraftBroker broker = null;
            EmbeddedPostgresServer postgres = null;
            try {
                if (!given.containsKey("ROSTER_KAFKA_BOOTSTRAP_SERVERS")) {
                    int kafkaPort = Ports.preferOrFree(settings.integer("ROSTER_KAFKA_PORT", 9092, 0, 65535));
                    broker = KraftBroker.start(dataDir.resolve("kafka"), kafkaPort, 6);
                    env.put("ROSTER_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
                }
                if (!given.containsKey("ROSTER_DB_URL")) {
                    int dbPort = Ports.preferOrFree(settings.integer("ROSTER_DB_PORT", 5433, 0, 65535));
                    postgres = EmbeddedPostgresServer.start(dataDir.resolve("postgres"), dbPort, true);
                    postgres.ensureDatabase("roster");
                    env.put("ROSTER_DB_URL", postgres.jdbcUrl("roster"));
                    env.put("ROSTER_DB_USER", postgres.user());
                    env.put("ROSTER_DB_PASSWORD", "");
                }
                writeConnection(dataDir, env);
                return new Infra(broker, postgres, Map.copyOf(env), dataDir);
            } catch (RuntimeException e) {
                new Infra(broker, postgres, env, dataDir).close();
                throw e;
            }
        }

        @Override
        public void close() {
            if (postgres != null) {
                postgres.close();
            }
            if (broker != null) {
                broker.close();
            }
        }
    }

    /** The settings an admin command needs to reach this run's broker and database (no secret but the database's). */
    private static void writeConnection(Path dataDir, Map<String, String> env) {
        StringBuilder text = new StringBuilder("# written by the local run: where its broker and database are\n");
        for (String name : java.util.List.of("ROSTER_KAFKA_BOOTSTRAP_SERVERS", "ROSTER_TOPIC_PREFIX", "ROSTER_DB_URL",
                "ROSTER_DB_USER", "ROSTER_DB_PASSWORD", "ROSTER_DB_SCHEMA")) {
            if (env.get(name) != null) {
                text.append(name).append('=').append(env.get(name)).append('\n');
            }
        }
        try {
            java.nio.file.Files.createDirectories(dataDir);
            java.nio.file.Files.writeString(dataDir.resolve(CONNECTION_FILE), text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The environment of an admin command: the process's, over what the local run in {@code ROSTER_DATA_DIR}
     * (default {@code .roster-data}) left in its connection file, if it did.
     */
    static Map<String, String> adminEnv(Map<String, String> given) {
        Path file = Path.of(new Settings(given).string("ROSTER_DATA_DIR", ".roster-data")).resolve(CONNECTION_FILE);
        Map<String, String> env = new HashMap<>();
        if (java.nio.file.Files.isRegularFile(file)) {
            try {
                for (String line : java.nio.file.Files.readAllLines(file)) {
                    int eq = line.indexOf('=');
                    if (!line.startsWith("#") && eq > 0) {
                        env.put(line.substring(0, eq), line.substring(eq + 1));
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        env.putAll(given);
        return env;
    }

    public RosterSystem system() {
        return system;
    }

    public Map<String, String> env() {
        return env;
    }

    @Override
    public void close() {
        system.close();
        if (postgres != null) {
            postgres.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** Where a local run leaves its broker's and database's addresses, for {@code admin} commands beside it. */
    static final String CONNECTION_FILE = "roster-local.env";

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && args[0].equals("cluster")) {
            if (System.getProperty("logback.configurationFile") == null) {
                System.setProperty("logback.configurationFile", "roster-local-logback.xml");
            }
            int code = LocalCluster.run(System.getenv(), java.util.Arrays.copyOfRange(args, 1, args.length));
            if (code != 0) {
                System.exit(code);
            }
            return;
        }
        if (args.length > 0 && args[0].equals("admin")) {
            if (System.getProperty("logback.configurationFile") == null) {
                System.setProperty("logback.configurationFile", "roster-admin-logback.xml");
            }
            System.exit(io.roster.workers.admin.RosterAdmin.run(adminEnv(System.getenv()),
                    java.util.Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        // the apps' jars each carry a logback.xml for running alone; the local run has its own
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "roster-local-logback.xml");
        }
        LocalRun run = start(System.getenv());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Roster...");
            run.close();
            stopped.countDown();
        }, "roster-shutdown"));
        String admin = run.env().getOrDefault("ROSTER_ADMIN_EMAIL", "admin@roster.local");
        String api = "http://localhost:" + run.system().apiUri().getPort();
        System.out.println();
        System.out.println("Roster is up.");
        System.out.println("  Console:    " + api + "/   (sign in as " + admin + ")");
        System.out.println("  API:        " + api + "/api/v1   (health: " + api + "/health)");
        System.out.println("  Health:     workers :" + run.system().workers().healthPort() + "/health, streams :"
                + run.system().streamsHealthPort() + "/health");
        System.out.println("  Metrics:    " + api + "/prometheus, workers :" + run.system().workers().healthPort()
                + "/prometheus, streams :" + run.system().streamsHealthPort() + "/prometheus (Prometheus text)");
        System.out.println("  Kafka:      " + run.env().get("ROSTER_KAFKA_BOOTSTRAP_SERVERS"));
        System.out.println("  PostgreSQL: " + run.env().get("ROSTER_DB_URL") + " (user " + run.env().get("ROSTER_DB_USER")
                + ")");
        System.out.println("  Data:       " + run.env().get("ROSTER_DATA_DIR"));
        System.out.println("  Log in:     curl -s -X POST " + api + "/api/v1/auth/login -H 'Content-Type: application/json' "
                + "-d '{\"email\":\"" + admin + "\",\"password\":\"<password>\"}'");
        System.out.println("              (the password is ROSTER_ADMIN_PASSWORD, or the one printed above at first start)");
        System.out.println("Ctrl-C stops everything; data is kept for the next run.");
        stopped.await();
    }
}

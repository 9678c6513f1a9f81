package io.roster.testsupport;

import io.roster.infra.EmbeddedPostgresServer;
import io.roster.infra.KraftBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The one real broker and the one real PostgreSQL of a test JVM, each started on first use (a test of the database
 * alone never starts a broker) and stopped when the JVM exits.
 *
 * <p>Kafka: a KRaft broker from Kafka's own artifacts in this JVM; where a Docker engine answers, Testcontainers'
 * Kafka instead ({@code ROSTER_TEST_KAFKA=embedded|testcontainers} forces one). PostgreSQL: embedded
 * PostgreSQL 17, or the server of {@code ROSTER_TEST_JDBC_URL} (with {@code ROSTER_TEST_JDBC_USER} and
 * {@code ROSTER_TEST_JDBC_PASSWORD}) when set.
 */
public final class Infra {

    private static final Logger LOG = LoggerFactory.getLogger(Infra.class);

    private static volatile Infra instance;

    private final Path root;
    private final String jdbcUrl;
    private final String jdbcUser;
    private final String jdbcPassword;
    private String bootstrapServers;
    private KraftBroker broker;

    private Infra(Path root, String jdbcUrl, String jdbcUser, String jdbcPassword) {
        this.root = root;
        this.jdbcUrl = jdbcUrl;
        this.jdbcUser = jdbcUser;
        this.jdbcPassword = jdbcPassword;
    }

    public static Infra get() {
        Infra local = instance;
        if (local == null) {
            synchronized (Infra.class) {
                local = instance;
                if (local == null) {
                    local = start();
                    instance = local;
                }
            }
        }
        return local;
    }

    private static Infra start() {
        Path root;
        try {
            root = Files.createTempDirectory("roster-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String url = System.getenv("ROSTER_TEST_JDBC_URL");
        String user;
        String password;
        if (url != null && !url.isBlank()) {
            user = envOr("ROSTER_TEST_JDBC_USER", "postgres");
            password = envOr("ROSTER_TEST_JDBC_PASSWORD", "");
        } else {
            EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(root.resolve("pg"), 0, false);
            Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "postgres-stop"));
            url = postgres.jdbcUrl("postgres");
            user = postgres.user();
            password = "";
        }
        LOG.info("Test infrastructure: PostgreSQL {}", url);
        return new Infra(root, url, user, password);
    }

    /** Starts the broker on first use: tests of the database alone never start one. */
    private synchronized void startKafka() {
        if (bootstrapServers != null) {
            return;
        }
        if (useTestcontainers()) {
            KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.1");
            kafka.start();
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::stop, "kafka-container-stop"));
            bootstrapServers = kafka.getBootstrapServers();
        } else {
            broker = KraftBroker.start(root.resolve("kafka"), 0, 4);
            bootstrapServers = broker.bootstrapServers();
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-stop"));
        }
        LOG.info("Test infrastructure: Kafka {}", bootstrapServers);
    }

    private static boolean useTestcontainers() {
        String mode = envOr("ROSTER_TEST_KAFKA", "auto");
        if (mode.equals("embedded")) {
            return false;
        }
        if (mode.equals("testcontainers")) {
            return true;
        }
        try {
            return Files.exists(Path.of("/var/run/docker.sock")) && DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String envOr(String name, String defaultValue) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? defaultValue : value;
    }

    public synchronized String bootstrapServers() {
        startKafka();
        return bootstrapServers;
    }

    /** The in-JVM broker, or null when Testcontainers provides Kafka. */
    public synchronized KraftBroker broker() {
        startKafka();
        return broker;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String jdbcUser() {
        return jdbcUser;
    }

    public String jdbcPassword() {
        return jdbcPassword;
    }

    /** A plain connection to the test database (outside any schema's pool). */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, jdbcUser, jdbcPassword);
    }
}

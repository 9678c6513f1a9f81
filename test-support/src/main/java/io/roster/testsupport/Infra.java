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
 * The one real broker and the one real PostgreSQL of a test JVM, started on first use and stopped when the
 * JVM exits.
 *
 * <p>Kafka: a KRaft broker from Kafka's own artifacts in this JVM; where a Docker engine answers, Testcontainers'
 * Kafka instead ({@code ROSTER_TEST_KAFKA=embedded|testcontainers} forces one). PostgreSQL: embedded
 * PostgreSQL 17, or the server of {@code ROSTER_TEST_JDBC_URL} (with {@code ROSTER_TEST_JDBC_USER} and
 * {@code ROSTER_TEST_JDBC_PASSWORD}) when set.
 */
public final class Infra {

    private static final Logger LOG = LoggerFactory.getLogger(Infra.class);

    private static volatile Infra instance;

    private final String bootstrapServers;
    private final String jdbcUrl;
    private final String jdbcUser;
    private final String jdbcPassword;
    private final KraftBroker broker;

    private Infra(String bootstrapServers, KraftBroker broker, String jdbcUrl, String jdbcUser, String jdbcPassword) {
        this.bootstrapServers = bootstrapServers;
        this.broker = broker;
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
        String bootstrap;
        KraftBroker broker = null;
        if (useTestcontainers()) {
            KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.1");
            kafka.start();
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::stop, "kafka-container-stop"));
            bootstrap = kafka.getBootstrapServers();
        } else {
            broker = KraftBroker.start(root.resolve("kafka"), 0, 4);
            bootstrap = broker.bootstrapServers();
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-stop"));
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
        LOG.info("Test infrastructure: Kafka {}, PostgreSQL {}", bootstrap, url);
        return new Infra(bootstrap, broker, url, user, password);
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

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The in-JVM broker, or null when Testcontainers provides Kafka. */
    public KraftBroker broker() {
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

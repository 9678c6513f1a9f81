package io.roster.infra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one), run from Kafka's own
 * artifacts inside this JVM and bound to 127.0.0.1 only.
 *
 * <p>The log directory is formatted on first start and reused afterwards, so a broker started on the same
 * directory keeps its topics and offsets (the local run relies on this).
 */
public final class KraftBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KraftBroker.class);

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path logDir;

    private KraftBroker(KafkaRaftServer server, String bootstrapServers, Path logDir) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.logDir = logDir;
    }

    /**
     * Formats {@code logDir} when it is new and starts the broker.
     *
     * @param port       the client port on 127.0.0.1 (0 for any free port)
     * @param partitions the default partition count of auto-created topics
     */
    public static KraftBroker start(Path logDir, int port, int partitions) {
        int clientPort = port == 0 ? Ports.free() : port;
        int controllerPort = Ports.free();
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        props.put("log.dirs", logDir.toAbsolutePath().toString());
        props.put("num.partitions", Integer.toString(partitions));
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "4");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        props.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        try {
            Files.createDirectories(logDir);
            format(logDir, props);
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            String bootstrap = "127.0.0.1:" + clientPort;
            LOG.info("Kafka broker (KRaft) listening on {} with data in {}", bootstrap, logDir);
            return new KraftBroker(server, bootstrap, logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the Kafka broker in " + logDir, e);
        }
    }

    private static void format(Path logDir, Properties props) throws IOException {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return; // formatted by an earlier run: keep its cluster id and data
        }
        Path config = logDir.resolve("roster-format.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            props.store(out, "written by Roster to format the KRaft log directory");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c",
                config.toString(), "--ignore-formatted"}, new PrintStream(output, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IllegalStateException("formatting " + logDir + " failed: " + output.toString(StandardCharsets.UTF_8));
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Path logDir() {
        return logDir;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        LOG.info("Kafka broker on {} stopped", bootstrapServers);
    }

    /**
     * The broker as a process of its own (the fault suite kills it with SIGKILL and starts it again):
     * {@code ROSTER_KAFKA_LOG_DIR}, {@code ROSTER_KAFKA_PORT} (fixed, so that clients find it again after a restart)
     * and {@code ROSTER_TOPIC_PARTITIONS} (6). Runs until stopped; SIGTERM shuts it down cleanly.
     */
    public static void main(String[] args) {
        java.util.Map<String, String> env = System.getenv();
        KraftBroker broker = start(Path.of(env.get("ROSTER_KAFKA_LOG_DIR")), Integer.parseInt(env.get("ROSTER_KAFKA_PORT")),
                Integer.parseInt(env.getOrDefault("ROSTER_TOPIC_PARTITIONS", "6")));
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "broker-shutdown"));
    }
}

package io.roster.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (version 17, from the zonky binaries on Maven Central) run as a child process,
 * bound to loopback. With a data directory that already holds a cluster, the data is kept.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private final EmbeddedPostgres postgres;
    private final Path dataDir;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDir) {
        this.postgres = postgres;
        this.dataDir = dataDir;
    }

    /**
     * Starts PostgreSQL on {@code dataDir}.
     *
     * @param port 0 for any free port
     * @param keep whether to keep an existing cluster in {@code dataDir} (local run) or start clean (tests)
     */
    public static EmbeddedPostgresServer start(Path dataDir, int port, boolean keep) {
        return start(dataDir, port, keep, java.util.Map.of());
    }

    /** As {@link #start(Path, int, boolean)}, with server settings added or changed ({@code name -> value}). */
    public static EmbeddedPostgresServer start(Path dataDir, int port, boolean keep,
                                               java.util.Map<String, String> settings) {
        try {
            Files.createDirectories(dataDir);
            if (keep) {
                stopOrphan(dataDir);
            }
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(!keep)
                    .setRegisterShutdownHook(false)
                    .setPort(port == 0 ? Ports.free() : port)
                    // after a crash PostgreSQL replays its WAL before it takes connections: up to max_wal_size
                    // (8 GB below) of it after a bulk job, minutes on a slow disk, not the library's 10 seconds
                    // (the fault suite found a start given up, and the next one stopping the recovery it found)
                    .setPGStartupWait(java.time.Duration.ofMinutes(15))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "200")
                    // the outbox relay tells consumers when each change was committed (roster.committed-at)
                    .setServerConfig("track_commit_timestamp", "on")
                    // PostgreSQL's defaults (128 MB of buffers, a checkpoint every 1 GB of WAL) are sized for a
                    // small machine: a million users with their list indexes take about 1 GB, and a bulk import
                    // would otherwise evict its own index pages and write each one whole to the WAL again after
                    // every checkpoint
                    .setServerConfig("shared_buffers", "1GB")
                    .setServerConfig("max_wal_size", "8GB")
                    .setServerConfig("checkpoint_timeout", "15min")
                    .setServerConfig("fsync", keep ? "on" : "off")
                    .setServerConfig("synchronous_commit", keep ? "on" : "off");
            settings.forEach(builder::setServerConfig);
            EmbeddedPostgres postgres = builder.start();
            LOG.info("PostgreSQL listening on 127.0.0.1:{} with data in {}", postgres.getPort(), dataDir);
            return new EmbeddedPostgresServer(postgres, dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start PostgreSQL in " + dataDir, e);
        }
    }

    /**
     * A launcher killed with SIGKILL leaves its PostgreSQL running on the data directory, holding it: the next
     * start would wait for it and give up. The postmaster named by {@code postmaster.pid}, if it still runs and is a
     * postgres process on this very directory, is asked to stop (a fast shutdown: its clients are gone), and stopped
     * hard if it does not within 30 s. The data is safe either way: PostgreSQL recovers from its WAL on start.
     */
    static void stopOrphan(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        java.util.List<String> lines = Files.readAllLines(pidFile);
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).strip());
        } catch (RuntimeException e) {
            return;
        }
        java.util.Optional<ProcessHandle> orphan = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false))
                .filter(p -> lines.size() > 1 && Path.of(lines.get(1).strip()).toAbsolutePath().normalize()
                        .equals(dataDir.toAbsolutePath().normalize()));
        if (orphan.isEmpty()) {
            return;
        }
        LOG.warn("PostgreSQL (pid {}) was left running on {} by a run that did not stop cleanly; stopping it", pid,
                dataDir);
        new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start();
        try {
            orphan.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            orphan.get().destroyForcibly();
            orphan.get().onExit().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping PostgreSQL " + pid, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    /**
     * A crash, for fault tests: SIGKILL to the postmaster running on {@code dataDir} and every process it started, as
     * a machine losing power would leave it (no checkpoint, no shutdown). Starting a server on the same directory
     * (in a new process: this one's lock on the directory belongs to the server object it started) recovers from the
     * WAL.
     */
    public static void crash(Path dataDir) {
        try {
            long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).strip());
            ProcessHandle.of(pid).ifPresent(postmaster -> {
                java.util.List<ProcessHandle> children = postmaster.descendants().toList();
                postmaster.destroyForcibly();
                children.forEach(ProcessHandle::destroyForcibly);
                postmaster.onExit().join();
                children.forEach(child -> child.onExit().join());
            });
        } catch (IOException e) {
            throw new UncheckedIOException("no postmaster.pid in " + dataDir, e);
        }
    }

    /**
     * PostgreSQL in a process of its own (the fault suite kills it and starts it again): {@code ROSTER_PG_DIR},
     * {@code ROSTER_DB_PORT}; keeps the data, creates the database {@code roster}; SIGTERM stops it cleanly.
     */
    public static void main(String[] args) throws InterruptedException {
        EmbeddedPostgresServer server = start(Path.of(System.getenv("ROSTER_PG_DIR")),
                Integer.parseInt(System.getenv("ROSTER_DB_PORT")), true);
        server.ensureDatabase("roster");
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "postgres-shutdown"));
        stopped.await();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The JDBC URL of {@code database} on this server (user postgres, no password: loopback trust). */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    public String user() {
        return "postgres";
    }

    /** Creates {@code database} unless it exists. */
    public void ensureDatabase(String database) {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("database name must be a plain lower-case identifier: " + database);
        }
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            statement.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + database, e);
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

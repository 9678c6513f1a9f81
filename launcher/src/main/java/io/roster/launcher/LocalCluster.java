package io.roster.launcher;

import io.roster.gateway.Gateway;
import io.roster.infra.Ports;
import io.roster.streams.StreamsApp;
import io.roster.workers.Workers;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar roster-local.jar cluster --gateways M --workers N --streams K}: the system scaled out on this
 * machine, each app instance a JVM of its own (as in production) against one broker and one database (embedded, as
 * the local run's, or the ones {@code ROSTER_KAFKA_BOOTSTRAP_SERVERS} and {@code ROSTER_DB_URL} name). Jobs spread
 * over the workers by partition (one consumer group), one worker's outbox relay and sweeper publish and the others
 * stand by (a PostgreSQL advisory lock), the status topology's partitions and state are shared by the streams
 * instances (one application id, a state folder each).
 *
 * <p>Instance {@code i} (from 1) listens on 8080+10(i-1) (gateway), 8081+10(i-1) (workers' operations port),
 * 8082+10(i-1) (streams'), or any free port when taken; logs go to {@code $ROSTER_DATA_DIR/logs/<name>.log}. An
 * instance that exits is started again after a second (a process supervisor's job in production), so that a
 * {@code kill -9} of any one of them is a fault the system recovers from; Ctrl-C stops them all (SIGTERM), then the
 * broker and the database.
 */
public final class LocalCluster implements AutoCloseable {

    /** One app instance: its name, main class, environment and the port it answers health on. */
    record Instance(String name, Class<?> main, Map<String, String> env, int port) {
    }

    private final LocalRun.Infra infra;
    private final Path logs;
    private final List<Instance> instances;
    private final Map<String, Process> processes = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Integer> restarts = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Long> startedAt = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Integer> quickExits = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean stopping;

    private LocalCluster(LocalRun.Infra infra, List<Instance> instances) {
        this.infra = infra;
        this.instances = instances;
        this.logs = infra.dataDir().resolve("logs");
    }

    /** Starts the infrastructure, the first gateway (migrations, the first admin, topics), then every other instance. */
    public static LocalCluster start(Map<String, String> given, int gateways, int workers, int streams) {
        LocalRun.Infra infra = LocalRun.Infra.start(given);
        LocalCluster cluster = null;
        try {
            List<Instance> instances = new ArrayList<>();
            for (int i = 1; i <= gateways; i++) {
                instances.add(instance(infra, "gateway-" + i, Gateway.class, "ROSTER_HTTP_PORT", 8080 + 10 * (i - 1),
                        Map.of()));
            }
            for (int i = 1; i <= workers; i++) {
                instances.add(instance(infra, "workers-" + i, Workers.class, "ROSTER_WORKERS_HEALTH_PORT",
                        8081 + 10 * (i - 1), Map.of()));
            }
            for (int i = 1; i <= streams; i++) {
                // one application id, a state folder each: the partitions' state moves between them on a rebalance
                instances.add(instance(infra, "streams-" + i, StreamsApp.class, "ROSTER_STREAMS_HEALTH_PORT",
                        8082 + 10 * (i - 1), Map.of("ROSTER_STREAMS_STATE_DIR",
                                infra.dataDir().resolve("streams-" + i).toString())));
            }
            cluster = new LocalCluster(infra, instances);
            Files.createDirectories(cluster.logs);
            cluster.launch(instances.get(0));
            cluster.awaitHealthy(instances.get(0));
            for (Instance instance : instances.subList(1, instances.size())) {
                cluster.launch(instance);
            }
            for (Instance instance : instances.subList(1, instances.size())) {
                cluster.awaitHealthy(instance);
            }
            return cluster;
        } catch (IOException e) {
            closeQuietly(cluster, infra);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            closeQuietly(cluster, infra);
            throw e;
        }
    }

    private static void closeQuietly(LocalCluster cluster, LocalRun.Infra infra) {
        if (cluster != null) {
            cluster.close();
        } else {
            infra.close();
        }
    }

    private static Instance instance(LocalRun.Infra infra, String name, Class<?> main, String portSetting,
                                     int preferred, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(infra.env());
        int port = Ports.preferOrFree(preferred);
        env.put(portSetting, Integer.toString(port));
        env.putAll(extra);
        return new Instance(name, main, Map.copyOf(env), port);
    }

    private synchronized void launch(Instance instance) {
        if (stopping) {
            return;
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + instance.env().getOrDefault("ROSTER_CLUSTER_HEAP",
                "512m"), "-Dlogback.configurationFile=roster-local-logback.xml", "-cp",
                System.getProperty("java.class.path"), instance.main().getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(instance.name() + ".log").toFile()));
        builder.environment().putAll(instance.env());
        try {
            Process process = builder.start();
            startedAt.put(instance.name(), System.nanoTime());
            processes.put(instance.name(), process);
            process.onExit().thenRun(() -> exited(instance, process));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + instance.name(), e);
        }
    }

    /**
     * An instance that exits while the cluster runs is started again, after {@link #backoff}: a second, doubled for
     * each exit in a row that came within {@link #STEADY} of its start (one that cannot start, a bad setting say, is
     * not restarted in a tight loop), up to 30 seconds.
     */
    private void exited(Instance instance, Process process) {
        if (stopping || processes.get(instance.name()) != process) {
            return;
        }
        int count = restarts.merge(instance.name(), 1, Integer::sum);
        boolean quick = System.nanoTime() - startedAt.getOrDefault(instance.name(), 0L) < STEADY.toNanos();
        int inARow = quick ? quickExits.merge(instance.name(), 1, Integer::sum) : 0;
        if (!quick) {
            quickExits.remove(instance.name());
        }
        Duration wait = backoff(inARow);
        System.out.printf("%s (pid %d) exited with %d; starting it again in %d s (restart %d)%n", instance.name(),
                process.pid(), process.exitValue(), wait.toSeconds(), count);
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        launch(instance);
        Process again = processes.get(instance.name());
        if (again != null) {
            System.out.printf("%s restarted: pid %d%n", instance.name(), again.pid());
        }
    }

    /** How long an instance must have run for its exit not to count as one of a crash loop. */
    static final Duration STEADY = Duration.ofMinutes(1);

    /** The wait before a restart after {@code quickExitsInARow} exits in a row, each soon after its start. */
    static Duration backoff(int quickExitsInARow) {
        return Duration.ofSeconds(Math.min(30, 1L << Math.min(5, Math.max(0, quickExitsInARow - 1))));
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Waits until the instance's {@code /health} answers 200 (two minutes at most). */
    void awaitHealthy(Instance instance) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            if (healthy(instance)) {
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        throw new IllegalStateException(instance.name() + " was not healthy within two minutes; see "
                + log(instance.name()));
    }

    static boolean healthy(Instance instance) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port() + "/health"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    Path log(String name) {
        return logs.resolve(name + ".log");
    }

    List<Instance> instances() {
        return instances;
    }

    /** Instance names (gateway-1, workers-1, streams-1, ...) with the port each answers on. */
    public Map<String, Integer> ports() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        instances.forEach(i -> ports.put(i.name(), i.port()));
        return ports;
    }

    /** The instance's current process id. */
    public long pid(String name) {
        return processes.get(name).pid();
    }

    /** SIGKILL of one instance, as {@code kill -9}: returns once it is gone; the cluster starts it again. */
    public void kill(String name) {
        Process process = processes.get(name);
        process.destroyForcibly();
        process.onExit().join();
    }

    /** Waits until every instance answers its {@code /health} with 200 (two minutes each at most). */
    public void awaitHealthy() {
        instances.forEach(this::awaitHealthy);
    }

    /** How often each instance was started again after it exited. */
    public Map<String, Integer> restarts() {
        return Map.copyOf(restarts);
    }

    /** Prints where each instance answers, its pid and its log; the last line is {@link #LISTED}. */
    void describe(PrintStream out) {
        out.println();
        out.println("Roster cluster is up.");
        for (Instance instance : instances) {
            Process process = processes.get(instance.name());
            String what = instance.name().startsWith("gateway") ? "API and console http://localhost:" + instance.port()
                    + "/, /health, /prometheus" : "/health and /prometheus on :" + instance.port();
            out.printf("  %-11s pid %-8d %s   log %s%n", instance.name(), process.pid(), what, log(instance.name()));
        }
        out.println("  Kafka:      " + infra.env().get("ROSTER_KAFKA_BOOTSTRAP_SERVERS"));
        out.println("  PostgreSQL: " + infra.env().get("ROSTER_DB_URL"));
        out.println("  Sign in as " + infra.env().getOrDefault("ROSTER_ADMIN_EMAIL", "admin@roster.local")
                + " (the password is ROSTER_ADMIN_PASSWORD, or the one in gateway-1's log at first start)");
        out.println("An instance that exits is started again; kill -9 <pid> one to watch the others take over.");
        out.println(LISTED);
    }

    /** The listing's last line: a reader that sees it has seen the whole listing (lines are flushed one by one). */
    static final String LISTED = "Ctrl-C stops everything; data is kept for the next run.";

    @Override
    public void close() {
        stopping = true;
        List<Process> running = new ArrayList<>(processes.values());
        running.forEach(Process::destroy); // SIGTERM: each app's shutdown hook leaves its group and closes
        for (Process process : running) {
            try {
                if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        infra.close();
    }

    static final String USAGE = "usage: cluster [--gateways M] [--workers N] [--streams K]   (each 1 to 9; "
            + "default 2, 3, 2)";

    /** The {@code cluster} command: parses its options strictly, starts, prints, waits for Ctrl-C. */
    static int run(Map<String, String> env, String[] args) throws InterruptedException {
        Map<String, Integer> counts = new LinkedHashMap<>(Map.of("--gateways", 2, "--workers", 3, "--streams", 2));
        for (int i = 0; i < args.length; i++) {
            if (!counts.containsKey(args[i]) || i + 1 >= args.length) {
                System.err.println("unknown or incomplete option '" + args[i] + "'\n" + USAGE);
                return 2;
            }
            try {
                int n = Integer.parseInt(args[i + 1]);
                if (n < 1 || n > 9) {
                    throw new NumberFormatException();
                }
                counts.put(args[i], n);
            } catch (NumberFormatException e) {
                System.err.println(args[i] + " must be a whole number from 1 to 9, not '" + args[i + 1] + "'\n" + USAGE);
                return 2;
            }
            i++;
        }
        LocalCluster cluster = start(env, counts.get("--gateways"), counts.get("--workers"), counts.get("--streams"));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping the cluster...");
            cluster.close();
            stopped.countDown();
        }, "cluster-shutdown"));
        cluster.describe(System.out);
        stopped.await();
        return 0;
    }
}

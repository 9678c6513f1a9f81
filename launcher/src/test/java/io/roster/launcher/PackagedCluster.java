package io.roster.launcher;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar roster-local.jar cluster ...} as the README runs it, a process of its own whose app instances are
 * processes of their own: their pids and ports as it printed them, and the latest pid of each after restarts.
 */
final class PackagedCluster implements AutoCloseable {

    private static final Pattern INSTANCE = Pattern.compile(
            "(?m)^  ((?:gateway|workers|streams)-\\d)\\s+pid (\\d+)\\s+.*?(?::|localhost:)(\\d+)[/ ]");
    private static final Pattern RESTARTED = Pattern.compile("(?m)^((?:gateway|workers|streams)-\\d) restarted: pid (\\d+)");

    private final Process process;
    private final Path log;
    private final Map<String, Integer> ports;
    private final Map<String, Long> firstPids;

    private PackagedCluster(Process process, Path log, Map<String, Integer> ports, Map<String, Long> pids) {
        this.process = process;
        this.log = log;
        this.ports = ports;
        this.firstPids = pids;
    }

    static PackagedCluster start(Map<String, String> env, String... args) {
        Map<String, String> full = new HashMap<>(env);
        full.putIfAbsent("ROSTER_DATA_DIR", PackagedRoster.tempDir("roster-cluster-").toString());
        Path log = Path.of("target", "packaged-runs", "cluster-" + UUID.randomUUID() + ".log").toAbsolutePath();
        try {
            Files.createDirectories(log.getParent());
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx256m", "-jar", PackagedRoster.jar().toString(), "cluster"));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(full);
            Process process = builder.start();
            try {
                await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(250)).until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("the cluster command exited with " + process.exitValue()
                                + ":\n" + read(log));
                    }
                    return read(log).contains(LocalCluster.LISTED); // the listing's last line
                });
                Map<String, Integer> ports = new LinkedHashMap<>();
                Map<String, Long> pids = new LinkedHashMap<>();
                Matcher m = INSTANCE.matcher(read(log));
                while (m.find()) {
                    pids.put(m.group(1), Long.parseLong(m.group(2)));
                    ports.put(m.group(1), Integer.parseInt(m.group(3)));
                }
                return new PackagedCluster(process, log, ports, pids);
            } catch (RuntimeException | Error e) {
                process.destroyForcibly();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Instance names as printed (gateway-1, workers-2, ...) with the port each answers on. */
    Map<String, Integer> ports() {
        return ports;
    }

    /** The instance's current pid: the last restart's, else the first. */
    long pid(String name) {
        long pid = firstPids.get(name);
        Matcher m = RESTARTED.matcher(output());
        while (m.find()) {
            if (m.group(1).equals(name)) {
                pid = Long.parseLong(m.group(2));
            }
        }
        return pid;
    }

    /** SIGKILL of one instance, as {@code kill -9}; the cluster starts it again. */
    void kill(String name) {
        long pid = pid(name);
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
    }

    String output() {
        return read(log);
    }

    static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every pid it started (first and restarted) is gone. */
    boolean allInstancesGone() {
        List<Long> all = new ArrayList<>(firstPids.values());
        Matcher m = RESTARTED.matcher(output());
        while (m.find()) {
            all.add(Long.parseLong(m.group(2)));
        }
        return all.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    /** SIGTERM, as Ctrl-C: the command stops its instances, then itself. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

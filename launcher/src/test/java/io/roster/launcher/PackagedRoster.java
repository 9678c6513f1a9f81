package io.roster.launcher;

import static org.awaitility.Awaitility.await;

import io.roster.testsupport.ApiClient;
import io.roster.testsupport.OpenApiContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged local run as a user starts it: {@code java -jar launcher/target/roster-local.jar}, the jar and the
 * {@code lib/} beside it that {@code mvn package} made, in a process of its own. End-to-end tests drive it over
 * HTTP, so what they test is the classpath and the configuration that ships, not the test classpath.
 *
 * <p>Given a test's environment (its broker, database, topic prefix and schema), the launcher uses them instead of
 * starting embedded ones. {@link #kill()} is a real crash: SIGKILL, no shutdown hook runs.
 */
public final class PackagedRoster implements AutoCloseable {

    private static final Pattern API = Pattern.compile("API:\\s+http://localhost:(\\d+)/api/v1");
    private static final Pattern HEALTH = Pattern.compile("Health:\\s+workers :(\\d+)/health, streams :(\\d+)/health");

    private final Map<String, String> env;
    private final Process process;
    private final Path log;
    private final int apiPort;
    private final int workersHealthPort;
    private final int streamsHealthPort;

    private PackagedRoster(Map<String, String> env, Process process, Path log, int apiPort, int workersHealthPort,
                           int streamsHealthPort) {
        this.env = env;
        this.process = process;
        this.log = log;
        this.apiPort = apiPort;
        this.workersHealthPort = workersHealthPort;
        this.streamsHealthPort = streamsHealthPort;
    }

    /** The jar the README's run command starts. */
    public static Path jar() {
        Path jar = Path.of(System.getProperty("roster.launcher.jar", "target/roster-local.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar) || !Files.isDirectory(jar.resolveSibling("lib"))) {
            throw new IllegalStateException(jar + " and its lib/ are missing: run the tests with `mvn verify`, "
                    + "which packages the launcher before the end-to-end tests");
        }
        return jar;
    }

    /**
     * Starts the packaged launcher on {@code env} (a test's environment; ports default to any free one) and waits
     * until it says it is up.
     */
    public static PackagedRoster start(Map<String, String> env) {
        Map<String, String> full = new HashMap<>(env);
        full.putIfAbsent("ROSTER_HTTP_PORT", "0");
        full.putIfAbsent("ROSTER_WORKERS_HEALTH_PORT", "0");
        full.putIfAbsent("ROSTER_STREAMS_HEALTH_PORT", "0");
        full.putIfAbsent("ROSTER_DATA_DIR", tempDir("roster-packaged-").toString());
        full.putIfAbsent("ROSTER_STREAMS_STATE_DIR", tempDir("roster-packaged-streams-").toString());
        Path log = Path.of("target", "packaged-runs", UUID.randomUUID() + ".log").toAbsolutePath();
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-jar", jar().toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(full);
            ApiClient.recorded();
            Process process = builder.start();
            try {
                Matcher[] up = new Matcher[2];
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("the packaged launcher exited with " + process.exitValue()
                                + ":\n" + read(log));
                    }
                    String out = read(log);
                    up[0] = API.matcher(out);
                    up[1] = HEALTH.matcher(out);
                    return out.contains("Roster is up.") && up[0].find() && up[1].find();
                });
                return new PackagedRoster(Map.copyOf(full), process, log, Integer.parseInt(up[0].group(1)),
                        Integer.parseInt(up[1].group(1)), Integer.parseInt(up[1].group(2)));
            } catch (RuntimeException | Error e) {
                process.destroyForcibly();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What an admin command printed (stdout and stderr together) and its exit code. */
    public record Command(int exitCode, String output) {
    }

    /**
     * Runs {@code java -jar roster-local.jar admin ARGS} as an operator beside this run: in a process of its own,
     * finding the broker and database through the run's data directory.
     */
    public Command admin(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar().toString(), "admin"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("ROSTER_DATA_DIR", env.get("ROSTER_DATA_DIR"));
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("admin " + String.join(" ", args) + " did not end:\n" + output);
            }
            return new Command(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An admin logged in: an anonymous client, the admin's client, their organization and user ids. */
    public record Admin(ApiClient anonymous, ApiClient client, String orgId, String userId) {
    }

    /** Logs in as {@code email} (an admin of this run). */
    public Admin login(String email, String password) {
        ApiClient anonymous = new ApiClient(apiUri());
        com.fasterxml.jackson.databind.JsonNode login = anonymous.post("/api/v1/auth/login",
                Map.of("email", email, "password", password), Map.of()).json();
        return new Admin(anonymous, anonymous.withToken(login.get("token").asText()),
                login.at("/user/orgId").asText(), login.at("/user/id").asText());
    }

    public URI apiUri() {
        return URI.create("http://127.0.0.1:" + apiPort);
    }

    public URI workersHealthUri() {
        return URI.create("http://127.0.0.1:" + workersHealthPort);
    }

    public URI streamsHealthUri() {
        return URI.create("http://127.0.0.1:" + streamsHealthPort);
    }

    /** The environment it was started on (ports and folders included). */
    public Map<String, String> env() {
        return env;
    }

    /** The broker the run uses: the one it was given, or the embedded one it started (as it printed). */
    public String bootstrapServers() {
        Matcher kafka = Pattern.compile("Kafka:\\s+(\\S+)").matcher(output());
        if (!kafka.find()) {
            throw new IllegalStateException("the run did not print its broker:\n" + output());
        }
        return kafka.group(1);
    }

    /** Everything the process printed so far. */
    public String output() {
        return read(log);
    }

    /** Whether the process is still running (a fault injected with {@code ROSTER_FAULT_HALT_AFTER_CHUNKS} ends it). */
    public boolean alive() {
        return process.isAlive();
    }

    /** A crash: SIGKILL, without a shutdown hook. */
    public void kill() {
        process.destroyForcibly();
        waitFor();
    }

    /**
     * A clean stop (SIGTERM, the shutdown hook runs), then the same launcher on the same environment and API port
     * again; with {@code loseStreamsState} the status topology's local state folder is deleted in between, so the
     * new process restores its stores from their changelog topics.
     */
    public PackagedRoster restart(boolean loseStreamsState) {
        close();
        if (loseStreamsState) {
            deleteRecursively(Path.of(env.get("ROSTER_STREAMS_STATE_DIR")));
        }
        Map<String, String> again = new HashMap<>(env);
        again.put("ROSTER_HTTP_PORT", Integer.toString(apiPort));
        return start(again);
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops the process; before that, holds every API response the tests received since it started to the OpenAPI
     * document it serves ({@link OpenApiContract}), so every end-to-end test on the packaged run checks the contract
     * too. A process that already died (a crash test) is not asked.
     */
    @Override
    public void close() {
        List<ApiClient.Exchange> exchanges = ApiClient.recorded();
        try {
            if (process.isAlive() && !exchanges.isEmpty()) {
                List<String> violations = OpenApiContract.served(apiUri()).violations(exchanges);
                if (!violations.isEmpty()) {
                    throw new AssertionError(violations.size() + " of " + exchanges.size() + " responses differ "
                            + "from the OpenAPI document:\n" + String.join("\n",
                            violations.subList(0, Math.min(40, violations.size()))));
                }
            }
        } finally {
            stop();
        }
    }

    private void stop() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        waitFor();
    }

    private void waitFor() {
        try {
            process.waitFor(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.roster.bench;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Admins at work while a large import runs: {@code --admins} concurrent sessions (default 8), each in a loop of what
 * the Users page does (a list page, sorted by a random column, half of them filtered; the next page from its cursor;
 * a search), and now and then a job (an invite of ten users, a bulk tag of a hundred, an export of a filter) followed
 * to its end. Each endpoint's latency (p50, p99) and every answer that is not a success are recorded, first on the
 * idle system for {@code --seconds} (the baseline, same run), then for as long while a {@code --rows} import (default
 * 200,000) runs. Expected failures: none but documented limits (429 over an organization's request rate, 413 over
 * the request size); everything else is listed as an error.
 */
final class LoadBench {

    private LoadBench() {
    }

    private static final String[] SORTS = {"name", "email", "role", "location", "status", "lastLogin", "tags"};

    /** Latencies (ms) and non-success statuses, per endpoint. */
    static final class Recorder {
        final Map<String, List<Double>> latencies = new ConcurrentHashMap<>();
        final Map<String, Map<Integer, Integer>> failures = new ConcurrentHashMap<>();

        void record(String endpoint, long nanos, int status) {
            latencies.computeIfAbsent(endpoint, e -> Collections.synchronizedList(new ArrayList<>())).add(nanos / 1e6);
            if (status >= 300) {
                failures.computeIfAbsent(endpoint, e -> new ConcurrentHashMap<>()).merge(status, 1, Integer::sum);
            }
        }

        static double percentile(List<Double> values, double p) {
            List<Double> sorted = new ArrayList<>(values);
            Collections.sort(sorted);
            return sorted.isEmpty() ? Double.NaN : sorted.get(Math.min(sorted.size() - 1,
                    (int) Math.ceil(p * sorted.size()) - 1));
        }
    }

    static void run(Bench.Options options) throws Exception {
        int admins = options.integer("admins", 8);
        int seconds = options.integer("seconds", 30);
        int rows = options.integer("rows", 200_000);
        Path dir = Files.createTempDirectory("roster-bench-load-");
        Recorder idle = new Recorder();
        Recorder busy = new Recorder();
        double importSeconds;
        try (BenchStack stack = BenchStack.start(dir, options)) {
            Path warm = dir.resolve("users.csv");
            ImportBench.write(warm, 20_000, "w");
            ImportBench.upload(stack, warm, 20_000, false); // a list with users in it, and warm JITs
            System.err.printf("  %d admins for %d s on the idle system%n", admins, seconds);
            drive(stack, admins, idle, () -> false, seconds);
            Path csv = dir.resolve("import.csv");
            ImportBench.write(csv, rows, "l");
            AtomicBoolean importing = new AtomicBoolean(true);
            double[] took = new double[1];
            Thread load = new Thread(() -> drive(stack, admins, busy, () -> !importing.get(), Integer.MAX_VALUE));
            load.start();
            System.err.printf("  %d admins while %,d rows are imported%n", admins, rows);
            took[0] = ImportBench.upload(stack, csv, rows, false);
            importing.set(false);
            load.join();
            importSeconds = took[0];
        }
        System.out.printf("%n%d admins at work (list pages, next pages, searches, jobs followed to their end), idle "
                + "for %d s, then while %,d users are imported (%.0f s, %s)%n%n", admins, seconds, rows, importSeconds,
                Table.rate(rows / importSeconds));
        Table table = new Table("endpoint", "idle: requests", "idle p50", "idle p99", "during import: requests",
                "p50", "p99", "not a success");
        Map<String, List<Double>> all = new TreeMap<>(busy.latencies);
        idle.latencies.keySet().forEach(k -> all.putIfAbsent(k, List.of()));
        for (String endpoint : all.keySet()) {
            List<Double> a = idle.latencies.getOrDefault(endpoint, List.of());
            List<Double> b = busy.latencies.getOrDefault(endpoint, List.of());
            Map<Integer, Integer> failed = new TreeMap<>(busy.failures.getOrDefault(endpoint, Map.of()));
            idle.failures.getOrDefault(endpoint, Map.of()).forEach((status, n) -> failed.merge(status, n, Integer::sum));
            table.row(endpoint, Integer.toString(a.size()), ms(Recorder.percentile(a, 0.5)),
                    ms(Recorder.percentile(a, 0.99)), Integer.toString(b.size()), ms(Recorder.percentile(b, 0.5)),
                    ms(Recorder.percentile(b, 0.99)), failed.isEmpty() ? "none" : failed.toString());
        }
        table.print();
        System.out.printf("%nStatuses other than 2xx are listed per endpoint ({status=count}); 429 and 413 are the "
                + "documented limits, anything else is an error.%n");
    }

    private static String ms(double value) {
        return Double.isNaN(value) ? "-" : String.format("%.1f ms", value);
    }

    /** Runs the admins until {@code stop} says so or {@code seconds} pass. */
    private static void drive(BenchStack stack, int admins, Recorder recorder,
                              java.util.function.BooleanSupplier stop, int seconds) {
        long deadline = System.nanoTime() + (long) seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < admins; i++) {
            int admin = i;
            Thread thread = new Thread(() -> {
                int round = 0;
                while (!stop.getAsBoolean() && System.nanoTime() < deadline) {
                    try {
                        act(stack, recorder, admin, round++);
                    } catch (Exception e) {
                        recorder.record("(client error) " + e.getClass().getSimpleName(), 0, 599);
                    }
                }
            }, "admin-" + i);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One step of an admin: mostly reading the list, every tenth a job. */
    private static void act(BenchStack stack, Recorder recorder, int admin, int round) throws Exception {
        String org = "/api/v1/orgs/" + stack.login.orgId();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String sort = SORTS[random.nextInt(SORTS.length)] + (random.nextBoolean() ? ",desc" : "");
        String filter = random.nextBoolean() ? "&role=User,Staff" : "";
        HttpResponse<String> page = timed(stack, recorder, "GET /orgs/{orgId}/users",
                stack.request(org + "/users?limit=50&sort=" + sort + filter).GET());
        String cursor = field(page.body(), "nextCursor");
        if (cursor != null) {
            timed(stack, recorder, "GET /orgs/{orgId}/users (next page)", stack.request(org + "/users?limit=50&sort="
                    + sort + filter + "&cursor=" + java.net.URLEncoder.encode(cursor, "UTF-8")).GET());
        }
        timed(stack, recorder, "GET /orgs/{orgId}/users?q=", stack.request(org + "/users?limit=50&q=user"
                + random.nextInt(1000)).GET());
        if (round % 10 != 9) {
            return;
        }
        String job;
        switch ((round / 10) % 3) {
            case 0 -> {
                StringBuilder users = new StringBuilder();
                for (int i = 0; i < 10; i++) {
                    users.append(i == 0 ? "" : ",").append("{\"email\":\"a").append(admin).append('r').append(round)
                            .append('u').append(i).append(random.nextInt(1_000_000)).append("@load.example\",")
                            .append("\"firstName\":\"Load\"}");
                }
                job = location(timed(stack, recorder, "POST /orgs/{orgId}/jobs/invite", json(stack, org
                        + "/jobs/invite", "{\"users\":[" + users + "]}")));
            }
            case 1 -> job = location(timed(stack, recorder, "POST /orgs/{orgId}/jobs/tag", json(stack, org
                    + "/jobs/tag", "{\"filter\":{\"q\":\"user" + random.nextInt(100) + "\"},\"tag\":\"load"
                    + random.nextInt(20) + "\",\"create\":true}")));
            default -> job = location(timed(stack, recorder, "POST /orgs/{orgId}/jobs/export", json(stack, org
                    + "/jobs/export", "{\"filter\":{\"role\":[\"Admin\"]},\"columns\":[\"name\",\"email\"]}")));
        }
        while (job != null) {
            HttpResponse<String> state = timed(stack, recorder, "GET /jobs/{jobId}", stack.request(job).GET());
            if (state.statusCode() != 200 || state.body().contains("\"finishedAt\":\"")) {
                break;
            }
            Thread.sleep(200);
        }
    }

    private static HttpRequest.Builder json(BenchStack stack, String path, String body) {
        return stack.request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpResponse<String> timed(BenchStack stack, Recorder recorder, String endpoint,
                                              HttpRequest.Builder request) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> response = stack.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        recorder.record(endpoint, System.nanoTime() - start, response.statusCode());
        return response;
    }

    private static String location(HttpResponse<String> response) {
        return response.statusCode() == 202 ? response.headers().firstValue("Location").orElse(null) : null;
    }

    /** A string field of a JSON body, or null. */
    private static String field(String json, String name) {
        int at = json.indexOf("\"" + name + "\":\"");
        if (at < 0) {
            return null;
        }
        int start = at + name.length() + 4;
        return json.substring(start, json.indexOf('"', start));
    }
}

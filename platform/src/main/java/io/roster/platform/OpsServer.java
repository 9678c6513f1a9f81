package io.roster.platform;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The operations port of an app without an HTTP framework: {@code GET /health} answers 200 with every check UP,
 * else 503, each check with its reason ({@link Health}); {@code GET /prometheus} is the app's metrics in
 * Prometheus' text format (the gateway serves both on its own port, at the same paths). Any other path or method is
 * a problem+json 404 or 405, as on the gateway. Port 0 picks a free port.
 */
public final class OpsServer implements AutoCloseable {

    private static final String PROBLEM = "application/problem+json";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;

    private OpsServer(HttpServer server) {
        this.server = server;
    }

    public static OpsServer start(String host, int port, Health health, PrometheusMeterRegistry registry) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                String method = exchange.getRequestMethod();
                if (!path.equals("/health") && !path.equals("/prometheus")) {
                    send(exchange, 404, PROBLEM, problem(404, "not-found", "Not found",
                            "This port serves GET /health and GET /prometheus only."));
                } else if (!method.equals("GET") && !method.equals("HEAD")) {
                    exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                    send(exchange, 405, PROBLEM, problem(405, "method-not-allowed", "Method not allowed",
                            method + " is not allowed on " + path + "."));
                } else if (path.equals("/prometheus")) {
                    send(exchange, 200, PROMETHEUS_TEXT, registry.scrape());
                } else {
                    Health.Report report = health.report();
                    send(exchange, report.up() ? 200 : 503, "application/json", report.json());
                }
            });
            // health must answer while a scrape or a slow check runs
            server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
                Thread thread = new Thread(r, "ops-http-" + port);
                thread.setDaemon(true);
                return thread;
            }));
            server.start();
            return new OpsServer(server);
        } catch (IOException e) {
            throw new UncheckedIOException("could not open the operations port on " + host + ":" + port, e);
        }
    }

    private static String problem(int status, String slug, String title, String detail) {
        return "{\"type\":\"/problems/" + slug + "\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"" + detail + "\"}";
    }

    private static void send(com.sun.net.httpserver.HttpExchange exchange, int status, String type, String text)
            throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (!head) {
                out.write(body);
            }
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}

package io.roster.platform;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /health} for an app without an HTTP framework: 200 {@code {"status":"UP"}} while the check holds,
 * 503 {@code {"status":"DOWN"}} otherwise; any other path or method is a problem+json 404 or 405, as on the
 * gateway. Port 0 picks a free port.
 */
public final class HealthServer implements AutoCloseable {

    private final HttpServer server;

    private HealthServer(HttpServer server) {
        this.server = server;
    }

    public static HealthServer start(String host, int port, BooleanSupplier up) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                String method = exchange.getRequestMethod();
                if (!path.equals("/health")) {
                    send(exchange, 404, PROBLEM, problem(404, "not-found", "Not found",
                            "This port serves GET /health only."));
                } else if (!method.equals("GET") && !method.equals("HEAD")) {
                    exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                    send(exchange, 405, PROBLEM, problem(405, "method-not-allowed", "Method not allowed",
                            method + " is not allowed on /health."));
                } else {
                    boolean healthy = up.getAsBoolean();
                    send(exchange, healthy ? 200 : 503, "application/json",
                            healthy ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
                }
            });
            server.start();
            return new HealthServer(server);
        } catch (IOException e) {
            throw new UncheckedIOException("could not open the health endpoint on " + host + ":" + port, e);
        }
    }

    private static final String PROBLEM = "application/problem+json";

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
    }
}

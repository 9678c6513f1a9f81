package io.roster.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A plain HTTP client of the Roster API for tests: real requests over loopback, JSON bodies as trees. */
public final class ApiClient {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final java.util.List<Exchange> RECORDED = java.util.Collections.synchronizedList(
            new java.util.ArrayList<>());

    /** One request to the API and its response, as {@link OpenApiContract} checks them. */
    public record Exchange(String method, String path, Response response) {
    }

    /** The API exchanges of every client since the last call, oldest first; the record starts again empty. */
    public static java.util.List<Exchange> recorded() {
        synchronized (RECORDED) {
            java.util.List<Exchange> all = java.util.List.copyOf(RECORDED);
            RECORDED.clear();
            return all;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI base;
    private final String token;

    public ApiClient(URI base) {
        this(base, null);
    }

    private ApiClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** A response: status, headers and the body as JSON (null when empty or not JSON). */
    public record Response(int status, Map<String, java.util.List<String>> headers, String body) {
        public JsonNode json() {
            try {
                return body == null || body.isEmpty() ? null : MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .findFirst().map(e -> e.getValue().get(0)).orElse(null);
        }
    }

    /** Logs in and returns a client that sends the session's bearer token. */
    public ApiClient login(String email, String password) {
        Response response = post("/api/v1/auth/login", Map.of("email", email, "password", password), Map.of());
        if (response.status() != 200) {
            throw new IllegalStateException("login failed: " + response.status() + " " + response.body());
        }
        return new ApiClient(base, response.json().get("token").asText());
    }

    /** The bearer token this client sends (null before login). */
    public String token() {
        return token;
    }

    public ApiClient withToken(String bearer) {
        return new ApiClient(base, bearer);
    }

    public Response get(String path) {
        return send(builder(path, Map.of()).GET());
    }

    /** A GET with the headers given as name, value, name, value... (a name may repeat), and no bearer token. */
    public Response getWithHeaders(String path, java.util.List<String> namesAndValues) {
        return sendWithHeaders("GET", path, namesAndValues);
    }

    /** A request without a body, with the headers given as name, value, ... and no bearer token. */
    public Response sendWithHeaders(String method, String path, java.util.List<String> namesAndValues) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("User-Agent", "roster-tests");
        for (int i = 0; i + 1 < namesAndValues.size(); i += 2) {
            builder.header(namesAndValues.get(i), namesAndValues.get(i + 1));
        }
        return send(builder.method(method, HttpRequest.BodyPublishers.noBody()));
    }

    public Response post(String path, Object body, Map<String, String> headers) {
        return postRaw(path, "application/json", json(body), headers);
    }

    public Response postBytes(String path, String contentType, byte[] body) {
        return send(builder(path, Map.of()).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    public Response postRaw(String path, String contentType, String body, Map<String, String> headers) {
        return send(builder(path, headers).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Any method, with a raw JSON body (or none when {@code json} is null). */
    public Response send(String method, String path, String json) {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json);
        return send(builder(path, Map.of()).header("Content-Type", "application/json").method(method, body));
    }

    public static String json(Object body) {
        try {
            return MAPPER.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpRequest.Builder builder(String path, Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("User-Agent", "roster-tests");
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        headers.forEach(builder::header);
        return builder;
    }

    private Response send(HttpRequest.Builder builder) {
        try {
            HttpRequest request = builder.build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            Response answer = new Response(response.statusCode(), response.headers().map(), response.body());
            if (request.uri().getPath().startsWith("/api/") && !request.uri().getPath().startsWith("/api/v1/openapi")) {
                RECORDED.add(new Exchange(request.method(), request.uri().getPath(), answer));
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

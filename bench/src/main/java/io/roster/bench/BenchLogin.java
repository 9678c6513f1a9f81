package io.roster.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The bench admin's session on a gateway started by a benchmark: its token and organization. */
record BenchLogin(String token, String orgId) {

    static final String EMAIL = "bench@roster.local";
    static final String PASSWORD = "bench admin password";

    static BenchLogin of(HttpClient http, URI gateway) throws Exception {
        String body = http.send(HttpRequest.newBuilder(gateway.resolve("/api/v1/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + EMAIL + "\",\"password\":\"" + PASSWORD
                        + "\"}")).build(), HttpResponse.BodyHandlers.ofString()).body();
        return new BenchLogin(field(body, "token"), field(body, "orgId"));
    }

    private static String field(String json, String name) {
        int at = json.indexOf("\"" + name + "\":\"");
        int start = at + name.length() + 4;
        return json.substring(start, json.indexOf('"', start));
    }
}

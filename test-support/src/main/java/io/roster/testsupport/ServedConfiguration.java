package io.roster.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What a running gateway's configuration shows from outside: the served OpenAPI document, unknown JSON fields
 * refused, empty pages and null fields written out, management endpoints off but health. The gateway's own tests
 * and the end-to-end tests of the packaged launcher both compare their gateway's answers with {@link #EXPECTED},
 * so a classpath that drops the configuration (it once did: no YAML parser in the shipped {@code lib/}) fails a
 * test instead of shipping.
 */
public final class ServedConfiguration {

    /** The answers of a gateway that runs with its own configuration. */
    public static final Map<String, String> EXPECTED = Map.ofEntries(
            Map.entry("GET /api/v1/openapi/roster-v1.yml", "200"),
            Map.entry("POST /orgs/{id}/tags with an unknown field", "400 invalid-request"),
            Map.entry("empty users page", "items=[] nextCursor=null"),
            Map.entry("GET /health", "200"),
            Map.entry("GET /info", "404"),
            Map.entry("GET /beans", "404"),
            Map.entry("GET /routes", "404"),
            Map.entry("GET /threaddump", "404"),
            Map.entry("GET /env", "404"),
            Map.entry("GET /loggers", "404"));

    private ServedConfiguration() {
    }

    /** Asks the gateway behind {@code admin} (an admin of {@code orgId}) each question of {@link #EXPECTED}. */
    public static Map<String, String> probe(ApiClient anonymous, ApiClient admin, String orgId) {
        Map<String, String> answers = new LinkedHashMap<>();
        answers.put("GET /api/v1/openapi/roster-v1.yml",
                Integer.toString(anonymous.get("/api/v1/openapi/roster-v1.yml").status()));
        ApiClient.Response smuggled = admin.postRaw("/api/v1/orgs/" + orgId + "/tags", "application/json",
                "{\"name\":\"probe-" + UUID.randomUUID().toString().substring(0, 8) + "\",\"orgId\":\""
                        + UUID.randomUUID() + "\"}", Map.of());
        answers.put("POST /orgs/{id}/tags with an unknown field", smuggled.status() + " " + problemType(smuggled));
        JsonNode page = admin.get("/api/v1/orgs/" + orgId + "/users?q=no-such-user-" + UUID.randomUUID()).json();
        answers.put("empty users page", "items=" + (page == null ? "absent" : page.get("items"))
                + " nextCursor=" + (page == null || !page.has("nextCursor") ? "absent" : page.get("nextCursor")));
        for (String path : new String[] {"/health", "/info", "/beans", "/routes", "/threaddump", "/env", "/loggers"}) {
            answers.put("GET " + path, Integer.toString(anonymous.get(path).status()));
        }
        return answers;
    }

    private static String problemType(ApiClient.Response response) {
        JsonNode body = response.json();
        String type = body == null || !body.has("type") ? "" : body.get("type").asText();
        return type.substring(type.lastIndexOf('/') + 1);
    }
}

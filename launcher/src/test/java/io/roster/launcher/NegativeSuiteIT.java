package io.roster.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roster.persistence.Database;
import io.roster.testsupport.ApiClient;
import io.roster.testsupport.TestEnv;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A negative suite generated from the OpenAPI document the packaged gateway serves: for every operation, every path
 * and query parameter and every field of its JSON body (nested objects and array items included), a NUL, control
 * characters, a wrong type and an oversize value, and for every body an unknown field. No answer may be a 500, or a
 * 503 (which says "retry": a deterministic error must not); every unknown field is a 400; and nothing a user owns
 * changes: users, organizations, tags, permission matrices and sessions are as they were.
 *
 * <p>Valid values around the one mutated are chosen so that the request could never change anything even if the
 * mutation were accepted: emails that are not emails, random user ids, a filter that matches nobody.
 */
class NegativeSuiteIT {

    static final String ADMIN = "negative-admin@example.com";
    static final String PASSWORD = "negative admin password";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    static TestEnv test;
    static PackagedRoster roster;
    static ApiClient admin;
    static Map<String, String> pathValues;

    @BeforeAll
    static void start() {
        test = TestEnv.create("negative");
        roster = PackagedRoster.start(test.env(Map.of("ROSTER_ADMIN_EMAIL", ADMIN, "ROSTER_ADMIN_PASSWORD", PASSWORD,
                "ROSTER_ORG_REQUESTS_PER_SECOND", "10000", "ROSTER_MAX_CONCURRENT_JOBS", "10000")));
        PackagedRoster.Admin first = roster.login(ADMIN, PASSWORD);
        admin = first.client();
        String victimEmail = "victim-" + UUID.randomUUID() + "@example.com";
        ApiClient.Response invited = admin.post("/api/v1/orgs/" + first.orgId() + "/jobs/invite", Map.of("users",
                List.of(Map.of("email", victimEmail, "firstName", "Victim"))), Map.of());
        InviteFlowIT.awaitFinished(admin, invited.header("Location"));
        String victim = admin.get("/api/v1/orgs/" + first.orgId() + "/users?q=" + victimEmail).json()
                .at("/items/0/id").asText();
        assertEquals(201, admin.post("/api/v1/orgs/" + first.orgId() + "/tags", Map.of("name", "neg-tag"), Map.of())
                .status());
        pathValues = Map.of("orgId", first.orgId(), "userId", victim, "jobId", invited.json().get("id").asText(),
                "tag", "neg-tag");
        // the admin's login makes them active through the status topology: let that land before the suite
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> admin.get(
                "/api/v1/users/" + first.userId()).json().get("status").asText().equals("active"));
    }

    @AfterAll
    static void stop() {
        roster.close();
    }

    @Test
    void everyOperationAndFieldRefusesHostileValuesWithoutAServerErrorAndChangesNothing() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        OpenAPI api = new OpenAPIV3Parser().readContents(new ApiClient(roster.apiUri())
                .get("/api/v1/openapi/roster-v1.yml").body(), null, options).getOpenAPI();
        String before = state();
        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> entry : path.getValue().readOperationsMap().entrySet()) {
                String method = entry.getKey().name();
                Operation operation = entry.getValue();
                List<Parameter> parameters = operation.getParameters() == null ? List.of()
                        : operation.getParameters();
                Schema<?> bodySchema = jsonBody(operation);
                JsonNode body = bodySchema == null ? null : baseline(bodySchema, path.getKey());
                for (Parameter parameter : parameters) {
                    if (!"path".equals(parameter.getIn()) && !"query".equals(parameter.getIn())) {
                        continue;
                    }
                    for (Map.Entry<String, String> mutation : urlMutations(parameter.getSchema()).entrySet()) {
                        String url = url(path.getKey(), parameters, parameter.getName(), mutation.getValue());
                        sent++;
                        check(failures, method, url, body, parameter.getName() + " " + mutation.getKey(), false);
                    }
                }
                if (body == null) {
                    continue;
                }
                String url = url(path.getKey(), parameters, null, null);
                for (Map.Entry<String, JsonNode> mutated : bodyMutations(bodySchema, body).entrySet()) {
                    sent++;
                    check(failures, method, url, mutated.getValue(), mutated.getKey(), false);
                }
                ObjectNode unknown = body.isObject() ? ((ObjectNode) body.deepCopy()) : JSON.objectNode();
                unknown.put("zzUnknownField", 1);
                sent++;
                check(failures, method, url, unknown, "an unknown field", true);
            }
        }
        assertTrue(sent > 300, "the document yields hundreds of hostile requests, not " + sent);
        assertTrue(failures.isEmpty(), failures.size() + " of " + sent + " hostile requests were answered wrong:\n"
                + String.join("\n", failures.subList(0, Math.min(60, failures.size()))));
        assertEquals(before, state(), "no user, organization, tag, permission or session changed");
    }

    private static void check(List<String> failures, String method, String url, JsonNode body, String what,
                              boolean must400) {
        ApiClient.Response response = admin.send(method, url, body == null ? null : body.toString());
        int status = response.status();
        if (status >= 500 || (must400 && status != 400)) {
            failures.add(status + " for " + method + " " + abbreviate(url) + " with " + what + ": "
                    + abbreviate(response.body()));
        }
    }

    /** The JSON request body's schema, or null. */
    private static Schema<?> jsonBody(Operation operation) {
        if (operation.getRequestBody() == null || operation.getRequestBody().getContent() == null
                || operation.getRequestBody().getContent().get("application/json") == null) {
            return null;
        }
        return operation.getRequestBody().getContent().get("application/json").getSchema();
    }

    /** A request that could change nothing even if accepted. */
    private static JsonNode baseline(Schema<?> schema, String path) {
        if (path.endsWith("/users/{userId}")) {
            // PATCH takes a map of fields
            return JSON.objectNode().put("firstName", "Negative");
        }
        return value(schema, "body");
    }

    private static JsonNode value(Schema<?> schema, String name) {
        String type = type(schema);
        if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
            return JSON.textNode(String.valueOf(schema.getEnum().get(0)));
        }
        switch (type) {
            case "object": {
                ObjectNode node = JSON.objectNode();
                Map<String, Schema> properties = schema.getProperties() == null ? Map.of() : schema.getProperties();
                for (Map.Entry<String, Schema> property : properties.entrySet()) {
                    if (property.getKey().equals("userIds") && properties.containsKey("filter")) {
                        continue; // a filter that matches nobody instead
                    }
                    if (property.getKey().equals("filter")) {
                        node.set("filter", JSON.objectNode().put("q", "nobody-matches-this-negative-suite"));
                        continue;
                    }
                    node.set(property.getKey(), value(property.getValue(), property.getKey()));
                }
                return node;
            }
            case "array": {
                ArrayNode array = JSON.arrayNode();
                array.add(schema.getItems() == null ? JSON.textNode("x") : value(schema.getItems(), name));
                return array;
            }
            case "boolean":
                return JSON.booleanNode(false);
            case "integer":
            case "number":
                return JSON.numberNode(1);
            default:
                if ("uuid".equals(schema.getFormat())) {
                    return JSON.textNode(UUID.randomUUID().toString());
                }
                if (name.toLowerCase().contains("email")) {
                    return JSON.textNode("not-an-email");
                }
                if (name.equals("password")) {
                    return JSON.textNode("a long enough password for the suite");
                }
                return JSON.textNode("negative");
        }
    }

    private static String type(Schema<?> schema) {
        if (schema.getType() != null) {
            return schema.getType();
        }
        if (schema.getProperties() != null) {
            return "object";
        }
        return schema.getItems() != null ? "array" : "string";
    }

    /** The body with one field at a time set to each hostile value, named for the report. */
    private static Map<String, JsonNode> bodyMutations(Schema<?> schema, JsonNode body) {
        Map<String, JsonNode> mutations = new LinkedHashMap<>();
        collect(schema, body, body, "", mutations);
        return mutations;
    }

    private static void collect(Schema<?> schema, JsonNode root, JsonNode node, String at,
                                Map<String, JsonNode> mutations) {
        if (!(node instanceof ObjectNode object)) {
            return;
        }
        List<String> fields = new ArrayList<>();
        object.fieldNames().forEachRemaining(fields::add);
        for (String field : fields) {
            Schema<?> fieldSchema = schema == null || schema.getProperties() == null ? null
                    : schema.getProperties().get(field);
            String fieldType = fieldSchema == null ? "string" : type(fieldSchema);
            for (Map.Entry<String, JsonNode> value : jsonMutations(fieldType).entrySet()) {
                JsonNode saved = object.get(field);
                object.set(field, value.getValue());
                mutations.put(at + field + " " + value.getKey(), root.deepCopy());
                object.set(field, saved);
            }
            JsonNode child = object.get(field);
            if (child.isObject()) {
                collect(fieldSchema, root, child, at + field + ".", mutations);
            } else if (child.isArray() && child.size() > 0 && child.get(0).isObject()) {
                collect(fieldSchema == null ? null : fieldSchema.getItems(), root, child.get(0),
                        at + field + "[0].", mutations);
            } else if (child.isArray() && child.size() > 0) {
                for (Map.Entry<String, JsonNode> value : jsonMutations("string").entrySet()) {
                    JsonNode saved = ((ArrayNode) child).get(0);
                    ((ArrayNode) child).set(0, value.getValue());
                    mutations.put(at + field + "[0] " + value.getKey(), root.deepCopy());
                    ((ArrayNode) child).set(0, saved);
                }
            }
        }
    }

    private static Map<String, JsonNode> jsonMutations(String type) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        values.put("NUL", JSON.textNode("a\u0000b"));
        values.put("control characters", JSON.textNode("a\u001b[31m\r\n\u0007\u202eb"));
        values.put("wrong type", type.equals("string") ? JSON.numberNode(12345) : JSON.textNode("yes"));
        values.put("oversize", JSON.textNode("x".repeat(100_000)));
        return values;
    }

    private static Map<String, String> urlMutations(Schema<?> schema) {
        String type = schema == null ? "string" : type(schema);
        Map<String, String> values = new LinkedHashMap<>();
        values.put("NUL", "a\u0000b");
        values.put("control characters", "a\u001b[31m\r\n\u202eb");
        values.put("wrong type", type.equals("string") && !"uuid".equals(schema == null ? null : schema.getFormat())
                ? "" : "yes");
        values.put("oversize", "x".repeat(3_000));
        return values;
    }

    /** The operation's path with real ids, and one parameter (path or query) set to {@code value}. */
    private static String url(String template, List<Parameter> parameters, String mutated, String value) {
        String url = template;
        StringBuilder query = new StringBuilder();
        for (Parameter parameter : parameters) {
            String name = parameter.getName();
            boolean isMutated = name.equals(mutated);
            if ("path".equals(parameter.getIn())) {
                String real = pathValues.getOrDefault(name, "x");
                url = url.replace("{" + name + "}", encode(isMutated ? value : real));
            } else if ("query".equals(parameter.getIn()) && isMutated) {
                query.append(query.length() == 0 ? "?" : "&").append(name).append('=').append(encode(value));
            }
        }
        return url + query;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    /** A digest of what users own: users, organizations, tags, permission matrices, session count. */
    private static String state() {
        try (var pool = Database.pool(test.db(), "negative-state");
             var connection = pool.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT "
                     + "(SELECT md5(coalesce(string_agg(u::text, '|' ORDER BY id), '')) FROM users u), "
                     + "(SELECT md5(coalesce(string_agg(o::text, '|' ORDER BY id), '')) FROM organizations o), "
                     + "(SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY org_id, name), '')) FROM org_tags t), "
                     + "(SELECT md5(coalesce(string_agg(p::text, '|' ORDER BY org_id, role), '')) "
                     + "FROM role_permissions p), (SELECT count(*) FROM sessions)")) {
            rs.next();
            return rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4) + " "
                    + rs.getLong(5);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.roster.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.roster.testsupport.ApiClient;
import io.roster.testsupport.Sql;
import io.roster.testsupport.TestEnv;
import io.roster.persistence.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile input against the packaged launcher: NUL bytes, control characters, booleans that are not booleans,
 * numbers that are not numbers, null elements. Each is a 400 problem naming the field, never a 500, and changes
 * nothing; in an import, a row with control characters is a row error while the good rows apply. Secrets stay out
 * of the log and the mailbox is its owner's alone.
 */
class HostileInputIT {

    static final String ADMIN = "hostile-admin@example.com";
    static final String PASSWORD = "hostile admin password";

    static TestEnv test;
    static PackagedRoster roster;
    static ApiClient anonymous;
    static ApiClient admin;
    static String org;
    static String self;

    @BeforeAll
    static void start() {
        test = TestEnv.create("hostile");
        roster = PackagedRoster.start(test.env(Map.of("ROSTER_ADMIN_EMAIL", ADMIN, "ROSTER_ADMIN_PASSWORD",
                PASSWORD)));
        PackagedRoster.Admin first = roster.login(ADMIN, PASSWORD);
        anonymous = first.anonymous();
        admin = first.client();
        org = first.orgId();
        self = first.userId();
    }

    @AfterAll
    static void stop() {
        roster.close();
    }

    @Test
    void hostileValuesAreRefusedNamingTheFieldAndChangeNothing() {
        String user = UUID.randomUUID().toString();
        String orgs = "/api/v1/orgs/" + org;
        Object[][] cases = {
            {"POST", orgs + "/jobs/tag", "{\"userIds\":[\"" + user + "\"],\"tag\":\"x\",\"remove\":\"yes\"}", "remove"},
            {"POST", orgs + "/jobs/tag", "{\"userIds\":[\"" + user + "\"],\"tag\":\"x\",\"create\":1}", "create"},
            {"POST", orgs + "/jobs/delete", "{\"filter\":{\"includeSubOrgs\":\"yes\"},\"confirm\":\"DELETE\"}",
                "includeSubOrgs"},
            {"POST", orgs + "/jobs/export", "{\"filter\":{\"q\":\"a\\u0000\"}}", "q"},
            {"POST", orgs + "/jobs/export", "{\"userIds\":[\"" + user + "\"],\"gzip\":\"yes\"}", "gzip"},
            {"POST", orgs + "/jobs/export", "{\"columns\":[null]}", "columns[0]"},
            {"POST", orgs + "/jobs/invite", "{\"users\":[{\"email\":\"n@example.com\",\"firstName\":\"Nul\\u0000\"}]}",
                "firstName"},
            {"POST", orgs + "/jobs/invite", "{\"users\":[{\"email\":\"n@example.com\",\"firstName\":\"N\"}],"
                + "\"upsert\":\"maybe\"}", "upsert"},
            {"POST", orgs + "/jobs/transfer", "{\"userIds\":[\"" + user + "\"],\"destinationAdminEmail\":"
                + "\"a\\u0000@example.com\"}", "destinationAdminEmail"},
            {"POST", orgs + "/sub-orgs", "{\"name\":\"Evil\\nhttps://evil.example\"}", "name"},
            {"POST", orgs + "/sub-orgs", "{\"name\":\"\\u202Egnp.exe\"}", "name"},
            {"POST", orgs + "/tags", "{\"name\":\"t\\u0000\"}", "name"},
            {"PATCH", "/api/v1/users/" + self, "{\"firstName\":\"Eve\\r\\nBcc: all\"}", "firstName"},
            {"POST", "/api/v1/auth/login", "{\"email\":\"a\\u0000@example.com\",\"password\":\"x\"}", "email"},
            {"PUT", "/api/v1/users/" + self + "/password", "{\"password\":\"            \"}", "password"},
            {"PUT", "/api/v1/users/" + self + "/password", "{\"password\":\"qwerty123456\"}", "password"},
            {"POST", "/api/v1/invitations/accept", "{\"token\":\"t\",\"password\":\"            \"}", "password"},
            {"GET", orgs + "/users?q=a%00", null, "q"},
            {"GET", orgs + "/users?tag=%1B%5B31m", null, "tag"},
            {"GET", orgs + "/users?includeSubOrgs=maybe", null, "includeSubOrgs"},
            {"GET", orgs + "/users?limit=", null, "limit"},
            {"GET", orgs + "/users?limit=abc", null, "limit"},
            {"GET", orgs + "/jobs?limit=1e3", null, "limit"},
            {"POST", orgs + "/jobs/invite?upsert=maybe", "{\"users\":[{\"email\":\"n@example.com\"}]}", "upsert"},
            {"GET", orgs + "/users?sort=lastLogin&cursor=" + cursor("lastLogin,asc", "not a time"), null, "cursor"},
            {"GET", orgs + "/users?sort=name&cursor=" + cursor("name,asc", "a\u0000"), null, "cursor"},
            {"GET", "/api/v1/orgs/not-a-uuid/users", null, "orgId"},
            {"GET", "/api/v1/users/not-a-uuid", null, "userId"},
        };
        long jobsBefore = count("SELECT count(*) FROM jobs");
        long orgsBefore = count("SELECT count(*) FROM organizations");
        long tagsBefore = count("SELECT count(*) FROM org_tags");
        for (Object[] c : cases) {
            String what = c[0] + " " + c[1] + " " + c[2];
            ApiClient.Response response = admin.send((String) c[0], (String) c[1], (String) c[2]);
            assertEquals(400, response.status(), what + " -> " + response.body());
            assertTrue(response.header("Content-Type").startsWith("application/problem+json"), what);
            JsonNode errors = response.json().get("errors");
            assertTrue(errors != null && errors.size() > 0, what + " -> " + response.body());
            assertEquals(c[3], errors.get(0).get("field").asText(), what + " -> " + response.body());
        }
        assertEquals(jobsBefore, count("SELECT count(*) FROM jobs"), "no job was made");
        assertEquals(orgsBefore, count("SELECT count(*) FROM organizations"), "no organization was made");
        assertEquals(tagsBefore, count("SELECT count(*) FROM org_tags"), "no tag was made");
    }

    @Test
    void importRowsWithControlCharactersAreRowErrorsAndTheGoodRowsApply() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        ApiClient.Response json = admin.post("/api/v1/orgs/" + org + "/jobs/invite", Map.of("users", List.of(
                Map.of("email", "eve-" + suffix + "@example.com", "firstName", "Eve\n\nhttps://evil.example/login"),
                Map.of("email", "ok-" + suffix + "@example.com", "firstName", "Ok"))), Map.of());
        assertEquals(202, json.status(), json.body());
        JsonNode job = InviteFlowIT.awaitFinished(admin, json.header("Location"));
        assertEquals("partially_succeeded", job.get("state").asText(), job.toString());
        JsonNode errors = admin.get(json.header("Location") + "/errors").json().get("items");
        assertEquals("firstName", errors.get(0).get("field").asText());
        assertEquals("invalid_characters", errors.get(0).get("code").asText());

        ApiClient.Response csv = admin.postRaw("/api/v1/orgs/" + org + "/jobs/invite", "text/csv",
                "email,firstName,lastName\nnul-" + suffix + "@example.com,Nul\u0000Name,X\n"
                        + "bell-" + suffix + "@example.com,Bell,\u0007\u001b[2J\n"
                        + "fine-" + suffix + "@example.com,Fine,Row\n", Map.of());
        assertEquals(202, csv.status(), csv.body());
        JsonNode csvJob = InviteFlowIT.awaitFinished(admin, csv.header("Location"));
        assertEquals(1, csvJob.get("succeeded").asInt(), csvJob.toString());
        assertEquals(2, csvJob.get("failed").asInt(), csvJob.toString());
        JsonNode csvErrors = admin.get(csv.header("Location") + "/errors").json().get("items");
        assertEquals(List.of("firstName", "lastName"), List.of(csvErrors.get(0).get("field").asText(),
                csvErrors.get(1).get("field").asText()));
        assertEquals(0, count("SELECT count(*) FROM users WHERE email LIKE 'eve-" + suffix + "%' OR email LIKE 'nul-"
                + suffix + "%' OR email LIKE 'bell-" + suffix + "%'"));
    }

    @Test
    void aCsvThatCannotBeReadSaysWhereAndWhy() {
        StringBuilder csv = new StringBuilder("email,firstName\n");
        for (int i = 1; i <= 5; i++) {
            csv.append("row").append(i).append("@example.com,Row\n");
        }
        byte[] good = csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] latin1 = "zoe@example.com,Zo\u00eb\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] body = new byte[good.length + latin1.length];
        System.arraycopy(good, 0, body, 0, good.length);
        System.arraycopy(latin1, 0, body, good.length, latin1.length);
        ApiClient.Response badUtf8 = admin.postBytes("/api/v1/orgs/" + org + "/jobs/invite", "text/csv", body);
        assertEquals(400, badUtf8.status(), badUtf8.body());
        assertEquals("body", badUtf8.json().get("errors").get(0).get("field").asText());
        assertTrue(badUtf8.json().get("detail").asText().contains("not valid UTF-8 on line 7"), badUtf8.body());

        ApiClient.Response empty = admin.postBytes("/api/v1/orgs/" + org + "/jobs/invite", "text/csv", new byte[0]);
        assertEquals(400, empty.status(), empty.body());
        assertTrue(empty.json().get("detail").asText().contains("CSV"), empty.body());
        assertFalse(empty.body().contains("JSON"), empty.body());
    }

    @Test
    void longRowsWithinTheLimitsAndATwoMegabyteCellAreAnImportNotARetryForever() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        StringBuilder csv = new StringBuilder("email,firstName,lastName,location,tags\n");
        String tags = String.join(";", java.util.stream.IntStream.range(0, 20)
                .mapToObj(t -> "t" + (t + 10) + "-" + "x".repeat(46)).toList());
        for (int i = 0; i < 1000; i++) {
            String local = "u" + i + "-" + suffix + "-";
            csv.append(local).append("a".repeat(254 - local.length() - "@example.com".length()))
                    .append("@example.com,").append("F".repeat(100)).append(',').append("L".repeat(100))
                    .append(',').append("P".repeat(200)).append(',').append(tags).append('\n');
        }
        csv.append("huge-").append(suffix).append("@example.com,").append("H".repeat(2 * 1024 * 1024))
                .append(",Cell,,\n");
        ApiClient.Response accepted = admin.postRaw("/api/v1/orgs/" + org + "/jobs/invite", "text/csv",
                csv.toString(), Map.of());
        assertEquals(202, accepted.status(), accepted.body());
        JsonNode job = InviteFlowIT.awaitFinished(admin, accepted.header("Location"));
        assertEquals(1000, job.get("succeeded").asInt(), job.toString());
        assertEquals(1, job.get("failed").asInt(), job.toString());
        JsonNode errors = admin.get(accepted.header("Location") + "/errors").json().get("items");
        assertEquals(1001, errors.get(0).get("row").asInt());
        assertEquals("firstName", errors.get(0).get("field").asText());
        assertEquals("too_long", errors.get(0).get("code").asText());
    }

    @Test
    void authenticationAndUserDataAreNeverCachedOrSniffedAndTwoTokensAreRefused() {
        ApiClient.Response none = anonymous.get("/api/v1/orgs/" + org + "/users");
        assertEquals(401, none.status());
        assertEquals("Bearer", none.header("WWW-Authenticate"));
        for (ApiClient.Response response : List.of(none, admin.get("/api/v1/orgs/" + org + "/users"),
                anonymous.post("/api/v1/auth/login", Map.of("email", ADMIN, "password", PASSWORD), Map.of()))) {
            assertEquals("no-store", response.header("Cache-Control"));
            assertEquals("nosniff", response.header("X-Content-Type-Options"));
        }
        ApiClient.Response two = anonymous.getWithHeaders("/api/v1/orgs/" + org + "/users",
                List.of("Authorization", "Bearer " + admin.token(), "Authorization", "Bearer other"));
        assertEquals(400, two.status(), two.body());
        assertEquals("Authorization", two.json().get("errors").get(0).get("field").asText());
    }

    @Test
    void theContractCheckHasTeeth() {
        io.roster.testsupport.OpenApiContract contract = io.roster.testsupport.OpenApiContract.served(
                roster.apiUri());
        String users = "/api/v1/orgs/" + org + "/users";
        Map<String, List<String>> json = Map.of("Content-Type", List.of("application/json"));
        assertEquals(List.of(), contract.violations(List.of(new ApiClient.Exchange("GET", users,
                new ApiClient.Response(200, json, "{\"items\":[],\"nextCursor\":null}")))));
        assertFalse(contract.violations(List.of(new ApiClient.Exchange("GET", users,
                new ApiClient.Response(200, json, "{\"items\":\"none\"}")))).isEmpty(), "a body of the wrong shape");
        assertFalse(contract.violations(List.of(new ApiClient.Exchange("GET", users,
                new ApiClient.Response(418, json, "{}")))).isEmpty(), "a status the operation does not have");
        assertFalse(contract.violations(List.of(new ApiClient.Exchange("GET", "/api/v1/users/" + self,
                new ApiClient.Response(200, json, "{\"id\":\"" + self + "\",\"role\":\"Owner\"}")))).isEmpty(),
                "a role outside the enum, required fields missing");
    }

    @Test
    void preflightsAndTheHealthPortsAnswerProblemsConsistently() {
        for (String path : List.of("/api/v1/auth/login", "/api/v1/orgs/" + org + "/users", "/api/v1/nowhere")) {
            // a foreign origin is refused by the framework's own origin check, before any filter of ours
            ApiClient.Response foreign = anonymous.sendWithHeaders("OPTIONS", path, List.of("Origin",
                    "https://evil.example", "Access-Control-Request-Method", "POST"));
            assertEquals(403, foreign.status(), path + " " + foreign.body());
            assertEquals(null, foreign.header("Access-Control-Allow-Origin"), path);
            ApiClient.Response local = anonymous.sendWithHeaders("OPTIONS", path, List.of("Origin",
                    "http://localhost:1234", "Access-Control-Request-Method", "POST"));
            assertEquals(403, local.status(), path + " " + local.body());
            assertTrue(local.header("Content-Type").startsWith("application/problem+json"), path);
            assertEquals("/problems/cross-origin", local.json().get("type").asText(), path);
            assertEquals(null, local.header("Access-Control-Allow-Origin"), path);
        }
        for (java.net.URI port : List.of(roster.workersHealthUri(), roster.streamsHealthUri())) {
            ApiClient health = new ApiClient(port);
            assertEquals(200, health.get("/health").status());
            ApiClient.Response missing = health.get("/info");
            assertEquals(404, missing.status(), port.toString());
            assertEquals("application/problem+json", missing.header("Content-Type"));
            assertEquals(404, missing.json().get("status").asInt());
            ApiClient.Response post = health.send("POST", "/health", "{}");
            assertEquals(405, post.status(), port.toString());
            assertEquals("application/problem+json", post.header("Content-Type"));
        }
    }

    @Test
    void theLogHoldsNoInvitationTokenAndTheMailboxIsTheOwnersAlone() throws Exception {
        String email = "secret-" + UUID.randomUUID() + "@example.com";
        ApiClient.Response invited = admin.post("/api/v1/orgs/" + org + "/jobs/invite", Map.of("users", List.of(
                Map.of("email", email, "firstName", "Secret"))), Map.of());
        InviteFlowIT.awaitFinished(admin, invited.header("Location"));
        Path mailbox = Path.of(roster.env().get("ROSTER_DATA_DIR"), "mailbox");
        Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> mails(mailbox)
                .anyMatch(p -> read(p).contains(email)));
        Path mail = mails(mailbox).filter(p -> read(p).contains(email)).findFirst().orElseThrow();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(mail)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(mailbox)));
        // the mailer logs the file's name once it is written: wait for that line, then read the whole log
        Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                roster.output().contains(mail.getFileName().toString()));
        String log = roster.output();
        assertFalse(log.contains("token="), "no invitation link in the log");
        assertFalse(log.contains(email), "no recipient in the log");
        assertTrue(log.contains(mail.getFileName().toString()), "the log names the mail's file");
    }

    /** A cursor as the API encodes one, with a key of the caller's choosing. */
    private static String cursor(String sort, String key) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(ApiClient.json(Map.of("s", sort,
                "k", key, "i", UUID.randomUUID().toString())).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static Stream<Path> mails(Path mailbox) throws java.io.IOException {
        return Files.exists(mailbox) ? Files.list(mailbox).toList().stream() : Stream.empty();
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static long count(String sql) {
        try (var pool = Database.pool(test.db(), "hostile-count")) {
            return Sql.count(pool, sql);
        }
    }
}

package io.roster.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.roster.contracts.job.ExportCommand;
import io.roster.gateway.Gateway;
import io.roster.persistence.Database;
import io.roster.testsupport.ApiClient;
import io.roster.testsupport.Sql;
import io.roster.testsupport.TestEnv;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/** Export end to end: a filter or ids, chosen columns, formula cells, gzip, any gateway serves the file. */
class ExportIT {

    private static final String JOBS = "/jobs/";

    @Test
    void exportsAreStoredOnceAndServedByAnyGateway() throws Exception {
        TestEnv test = TestEnv.create("export");
        Map<String, String> env = InviteFlowIT.env(test);
        Map<String, String> crashing = new java.util.HashMap<>(env);
        // the packaged run halts (as kill -9 would) right after its first export's database commit
        crashing.put("ROSTER_FAULT_HALT_AFTER_CHUNKS", "export:1");
        PackagedRoster system = PackagedRoster.start(crashing);
        try (var pool = Database.pool(test.db(), "export"); Gateway other = Gateway.start(env)) {
            ApiClient admin = new ApiClient(system.apiUri()).login(InviteFlowIT.ADMIN, InviteFlowIT.PASSWORD);
            String org = InviteFlowIT.orgOf(admin);
            String jobs = "/api/v1/orgs/" + org + JOBS;
            List<Map<String, Object>> users = new ArrayList<>();
            users.add(Map.of("email", "formula@x.example", "firstName", "=HYPERLINK(\"http://evil\")", "lastName",
                    "X", "location", "+44 20 7946 0000"));
            users.add(Map.of("email", "at@x.example", "firstName", "@SUM(A1)", "location", "-3"));
            users.add(Map.of("email", "plain@x.example", "firstName", "Plain", "lastName", "Jane",
                    "location", "Quoted \"place\", with comma", "tags", List.of("a", "b")));
            for (int i = 0; i < 7; i++) {
                users.add(Map.of("email", "u" + i + "@x.example", "firstName", "User" + i, "role", "Staff"));
            }
            String invite = admin.post(jobs + "invite", Map.of("users", users), Map.of()).header("Location");
            assertEquals("succeeded", InviteFlowIT.awaitFinished(admin, invite).get("state").asText());
            UUID foreign = BulkActionsIT.foreignUser(pool);

            ApiClient.Response badColumns = admin.post(jobs + "export", Map.of("filter", Map.of(), "columns",
                    List.of("email", "password")), Map.of());
            assertEquals(400, badColumns.status());
            assertEquals("columns[1]", badColumns.json().at("/errors/0/field").asText());

            // a filter, three columns, a run that dies after the commit: one file, once
            long committedBefore = io.roster.testsupport.CommittedOffsets.sum(test.infra().bootstrapServers(),
                    io.roster.workers.Workers.GROUP_ID, test.topics().exports());
            ApiClient.Response submitted = admin.post(jobs + "export", Map.of("filter", Map.of("role",
                    List.of("User")), "columns", List.of("name", "email", "location")), Map.of());
            assertEquals(3, submitted.json().get("total").asInt(), "the total is known when the job is accepted");
            String byFilter = submitted.header("Location");
            PackagedRoster crashed = system;
            await().atMost(Duration.ofSeconds(60)).until(() -> !crashed.alive());
            crashed.close();
            assertEquals(committedBefore, io.roster.testsupport.CommittedOffsets.sum(test.infra().bootstrapServers(),
                    io.roster.workers.Workers.GROUP_ID, test.topics().exports()),
                    "the export's offset was not committed: it comes again, and finds its file made");
            system = PackagedRoster.start(env);
            admin = new ApiClient(system.apiUri()).withToken(admin.token());
            JsonNode job = InviteFlowIT.awaitFinished(admin, byFilter);
            assertEquals("succeeded", job.get("state").asText(), job.toString());
            assertEquals(3, job.get("total").asInt(), "the three Users (the admin is an Admin)");
            assertEquals(1, Sql.count(pool, "SELECT count(*) FROM job_results WHERE job_id = '"
                    + byFilter.substring(byFilter.lastIndexOf('/') + 1) + "'"));

            List<CSVRecord> rows = csv(download(other.uri(), admin, byFilter, false));
            assertEquals(List.of("name", "email", "location"), rows.get(0).toList());
            assertEquals(4, rows.size());
            CSVRecord formula = rows.stream().filter(r -> r.get(1).equals("formula@x.example")).findFirst().orElseThrow();
            assertEquals("'=HYPERLINK(\"http://evil\") X", formula.get(0));
            assertEquals("'+44 20 7946 0000", formula.get(2));
            CSVRecord at = rows.stream().filter(r -> r.get(1).equals("at@x.example")).findFirst().orElseThrow();
            assertEquals("'@SUM(A1)", at.get(0));
            assertEquals("'-3", at.get(2));
            CSVRecord plain = rows.stream().filter(r -> r.get(1).equals("plain@x.example")).findFirst().orElseThrow();
            assertEquals("Quoted \"place\", with comma", plain.get(2));

            // a filter less one user, in the order the users list shows: email descending
            List<String> staff = new ArrayList<>();
            admin.get("/api/v1/orgs/" + org + "/users?role=Staff&sort=email,desc").json().get("items")
                    .forEach(u -> staff.add(u.get("email").asText()));
            String left = admin.get("/api/v1/orgs/" + org + "/users?role=Staff&q=u3@").json().at("/items/0/id")
                    .asText();
            ApiClient.Response sorted = admin.post(jobs + "export", Map.of("filter", Map.of("role", List.of("Staff")),
                    "excludeUserIds", List.of(left), "sort", "email,desc", "columns", List.of("email")), Map.of());
            assertEquals(202, sorted.status(), sorted.body());
            assertEquals(6, sorted.json().get("total").asInt());
            InviteFlowIT.awaitFinished(admin, sorted.header("Location"));
            List<String> expected = new ArrayList<>(staff);
            expected.remove("u3@x.example");
            assertEquals(expected, csv(download(system.apiUri(), admin, sorted.header("Location"), false)).stream()
                    .skip(1).map(r -> r.get(0)).toList());
            ApiClient.Response badSort = admin.post(jobs + "export", Map.of("filter", Map.of(), "sort", "password"),
                    Map.of());
            assertEquals(400, badSort.status(), badSort.body());
            assertEquals("sort", badSort.json().at("/errors/0/field").asText());

            // explicit ids, one of another tenant: it is a row error and not in the file; gzip
            List<String> ids = new ArrayList<>();
            admin.get("/api/v1/orgs/" + org + "/users?role=Staff&sort=email").json().get("items")
                    .forEach(u -> ids.add(u.get("id").asText()));
            ids.add(1, foreign.toString());
            String byIds = admin.post(jobs + "export", Map.of("userIds", ids, "gzip", true), Map.of())
                    .header("Location");
            JsonNode gz = InviteFlowIT.awaitFinished(admin, byIds);
            assertEquals("partially_succeeded", gz.get("state").asText());
            assertEquals(7, gz.get("succeeded").asInt());
            assertEquals(2, admin.get(byIds + "/errors").json().get("items").get(0).get("row").asInt());
            List<CSVRecord> all = csv(download(system.apiUri(), admin, byIds, true));
            assertEquals(ExportCommand.COLUMNS, all.get(0).toList());
            assertEquals(8, all.size());
            assertEquals("u0@x.example", all.get(1).get(1),
                    "in the order given");
            assertTrue(all.stream().noneMatch(r -> r.toList().contains("foreign@other.example")));
        } finally {
            system.close();
        }
    }

    private static byte[] download(URI gateway, ApiClient admin, String job, boolean gzip) throws Exception {
        String token = admin.token();
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(gateway.resolve(job
                + "/result")).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        assertTrue(response.headers().firstValue("Content-Disposition").orElse("").contains(gzip ? ".csv.gz" : ".csv"));
        return gzip ? new GZIPInputStream(new ByteArrayInputStream(response.body())).readAllBytes() : response.body();
    }

    private static List<CSVRecord> csv(byte[] bytes) throws Exception {
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertTrue(text.contains("\r\n"), "RFC 4180 line ends");
        return CSVFormat.RFC4180.parse(new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8))
                .getRecords();
    }
}

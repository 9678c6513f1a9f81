package io.roster.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.roster.contracts.user.Role;
import io.roster.persistence.Database;
import io.roster.persistence.Organizations;
import io.roster.persistence.Tx;
import io.roster.persistence.Users;
import io.roster.testsupport.ApiClient;
import io.roster.testsupport.Sql;
import io.roster.testsupport.TestEnv;
import io.roster.testsupport.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * CSV import over the real broker and database: a 10,000-row file with bad rows of every kind (counts and each
 * error exact), CSV dialects (BOM, quotes, CRLF, a single name column), a malformed file that changes nothing, a
 * header without an email column, and the same Idempotency-Key twice.
 */
class CsvImportIT {

    @Test
    void tenThousandRowsWithBadRowsOfEveryKind() {
        TestEnv test = TestEnv.create("csv");
        Map<String, String> env = new HashMap<>(InviteFlowIT.env(test));
        env.put("ROSTER_CHUNK_SIZE", "500");
        env.put("ROSTER_WORKER_THREADS", "2");
        try (PackagedRoster system = PackagedRoster.start(env);
             var pool = Database.pool(test.db(), "csv-test")) {
            ApiClient admin = new ApiClient(system.apiUri()).login(InviteFlowIT.ADMIN, InviteFlowIT.PASSWORD);
            String org = InviteFlowIT.orgOf(admin);
            UUID elsewhere = UUID.randomUUID();
            Tx.run(pool, c -> Organizations.insertRoot(c, elsewhere, "Elsewhere"));
            Tx.run(pool, c -> {
                List<Users.NewUser> existing = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    UUID target = i % 2 == 0 ? UUID.fromString(org) : elsewhere;
                    existing.add(new Users.NewUser(UUID.randomUUID(), target, "user" + (i * 211 + 5) + "@csv.example",
                            "Existing", "", Role.User, null, List.of(), null,
                            Instant.now().truncatedTo(ChronoUnit.MICROS), null, null, "test"));
                }
                Users.insertInvited(c, existing, UUID::randomUUID);
                return null;
            });

            StringBuilder csv = new StringBuilder("email,first name,last name,role,location,tags\n");
            List<String> expected = new ArrayList<>();
            Map<Integer, String> emailOf = new HashMap<>();
            int good = 0;
            for (int row = 1; row <= 10_000; row++) {
                String email = "user" + row + "@csv.example";
                String first = "First" + row;
                String role = row % 3 == 0 ? "staff" : "User";
                String tags = "alpha;beta";
                String code = null;
                if (row % 97 == 0) {
                    email = "user" + row + "-at-csv.example";
                    code = "invalid_email";
                } else if (row % 89 == 0) {
                    first = "";
                    code = "required";
                } else if (row % 83 == 0) {
                    role = "Owner";
                    code = "invalid_role";
                } else if (row % 79 == 0) {
                    tags = "ok;not/ok";
                    code = "invalid_tag";
                } else if (row % 73 == 0) {
                    email = emailOf.get(row - 1).toUpperCase();
                    code = email.contains("-AT-") ? "invalid_email" : "duplicate_in_file";
                } else if ((row - 5) % 211 == 0 && (row - 5) / 211 < 40) {
                    code = ((row - 5) / 211) % 2 == 0 ? "already_in_organization" : "exists_in_other_organization";
                }
                emailOf.put(row, email);
                csv.append(email).append(',').append(first).append(",\"Last, ").append(row).append("\",")
                        .append(role).append(",Berlin,").append(tags).append('\n');
                if (code == null) {
                    good++;
                } else {
                    expected.add(row + ":" + code);
                }
            }
            ApiClient.Response accepted = admin.postRaw("/api/v1/orgs/" + org + "/jobs/invite", "text/csv",
                    csv.toString(), Map.of());
            assertEquals(202, accepted.status(), accepted.body());
            JsonNode job = InviteFlowIT.awaitFinished(admin, accepted.header("Location"));
            assertEquals("partially_succeeded", job.get("state").asText(), job.toString());
            assertEquals(10_000, job.get("total").asInt());
            assertEquals(10_000, job.get("processed").asInt());
            assertEquals(good, job.get("succeeded").asInt());
            assertEquals(expected.size(), job.get("failed").asInt());

            List<String> actual = new ArrayList<>();
            String cursor = null;
            do {
                JsonNode page = admin.get(accepted.header("Location") + "/errors?limit=1000"
                        + (cursor == null ? "" : "&cursor=" + cursor)).json();
                page.get("items").forEach(e -> actual.add(e.get("row").asInt() + ":" + e.get("code").asText()));
                cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
            } while (cursor != null);
            assertEquals(expected, actual);
            assertEquals(good + 20 + 1, Sql.count(pool, "SELECT count(*) FROM users WHERE org_id = '" + org + "'"),
                    "the good rows, the 20 that were there, and the admin");
            JsonNode sample = admin.get("/api/v1/orgs/" + org + "/users?q=user3@&limit=1").json().get("items").get(0);
            assertEquals("Last, 3", sample.get("lastName").asText(), "a quoted field with a comma");
            assertEquals("Staff", sample.get("role").asText());
            assertEquals("[\"alpha\",\"beta\"]", sample.get("tags").toString());
            assertEquals("Berlin", sample.get("location").asText());
        }
    }

    /** Uploads {@code csv}, padded past 1 MB, to a second gateway that accepts bodies of at most 1 MB. */
    static ApiClient.Response tinyLimit(TestEnv test, String csv) {
        StringBuilder big = new StringBuilder(csv);
        while (big.length() < 1_200_000) {
            big.append("filler").append(big.length()).append("@d.example,F\n");
        }
        Map<String, String> env = new HashMap<>(InviteFlowIT.env(test));
        env.put("ROSTER_MAX_REQUEST_MB", "1");
        try (io.roster.gateway.Gateway limited = io.roster.gateway.Gateway.start(env)) {
            ApiClient admin = new ApiClient(limited.uri()).login(InviteFlowIT.ADMIN, InviteFlowIT.PASSWORD);
            return admin.postRaw("/api/v1/orgs/" + InviteFlowIT.orgOf(admin) + "/jobs/invite", "text/csv",
                    big.toString(), Map.of());
        }
    }

    @Test
    void dialectsMalformedFilesAndIdempotency() {
        TestEnv test = TestEnv.create("csvdialects");
        try (PackagedRoster system = PackagedRoster.start(InviteFlowIT.env(test));
             var pool = Database.pool(test.db(), "csv-test")) {
            ApiClient admin = new ApiClient(system.apiUri()).login(InviteFlowIT.ADMIN, InviteFlowIT.PASSWORD);
            String org = InviteFlowIT.orgOf(admin);
            String invite = "/api/v1/orgs/" + org + "/jobs/invite";

            String bomCrlf = "\uFEFFE-Mail Address,Full Name,Role\r\n\"ada@d.example\",\"Ada King Lovelace\",Admin\r\n"
                    + "bob@d.example,Bob,\r\n";
            ApiClient.Response ok = admin.postRaw(invite, "text/csv", bomCrlf, Map.of("Idempotency-Key", "csv-1"));
            assertEquals(202, ok.status(), ok.body());
            JsonNode job = InviteFlowIT.awaitFinished(admin, ok.header("Location"));
            assertEquals("succeeded", job.get("state").asText(), job.toString());
            JsonNode ada = admin.get("/api/v1/orgs/" + org + "/users?q=ada@&limit=1").json().get("items").get(0);
            assertEquals("Ada", ada.get("firstName").asText());
            assertEquals("King Lovelace", ada.get("lastName").asText());
            assertEquals("Admin", ada.get("role").asText());

            ApiClient.Response again = admin.postRaw(invite, "text/csv", bomCrlf, Map.of("Idempotency-Key", "csv-1"));
            assertEquals(202, again.status());
            assertEquals(ok.json().get("id"), again.json().get("id"));
            assertEquals(422, admin.postRaw(invite, "text/csv", "email\nzed@d.example\n",
                    Map.of("Idempotency-Key", "csv-1")).status());

            long jobs = Sql.count(pool, "SELECT count(*) FROM jobs");
            long users = Sql.count(pool, "SELECT count(*) FROM users");
            StringBuilder malformed = new StringBuilder("email,firstName\n");
            for (int i = 0; i < 3000; i++) {
                malformed.append("m").append(i).append("@d.example,M\n");
            }
            malformed.append("\"broken@d.example,unterminated\n");
            ApiClient.Response bad = admin.postRaw(invite, "text/csv", malformed.toString(), Map.of());
            assertEquals(400, bad.status(), bad.body());
            assertEquals("body", bad.json().at("/errors/0/field").asText());
            assertTrue(bad.json().get("detail").asText().contains("nothing was imported"), bad.body());

            ApiClient.Response tooBig = tinyLimit(test, malformed.toString().replace("\"broken", "broken"));
            assertEquals(413, tooBig.status(), tooBig.body());
            assertEquals("body", tooBig.json().at("/errors/0/field").asText());

            ApiClient.Response noEmail = admin.postRaw(invite, "text/csv", "name,role\nX,User\n", Map.of());
            assertEquals(400, noEmail.status());
            assertEquals("header", noEmail.json().at("/errors/0/field").asText());
            assertEquals(400, admin.postRaw(invite, "text/csv", "email\n", Map.of()).status(), "no rows");

            // the 3,000 good rows before the break were sent in an aborted transaction: none was applied
            ApiClient.Response probe = admin.post(invite, Map.of("users", List.of(Map.of("email", "probe@d.example",
                    "firstName", "P"))), Map.of());
            InviteFlowIT.awaitFinished(admin, probe.header("Location"));
            assertEquals(jobs + 1, Sql.count(pool, "SELECT count(*) FROM jobs"));
            assertEquals(users + 1, Sql.count(pool, "SELECT count(*) FROM users"));

            // upsert: accounts of this organization are updated instead of reported; one event each that changed
            String adaId = ada.get("id").asText();
            String upsertCsv = "email,firstName,lastName,role,location,tags\n"
                    + "ADA@d.example,Ada,Byron,Staff,London,math\n" // names, role, location, a tag: updated
                    + InviteFlowIT.ADMIN + ",Flow,,User,,\n"         // Ada is no longer an admin: the last one
                    + "bob@d.example,Bob,,,,\n"                      // already as the row says: nothing happens
                    + "cy@d.example,Cy,,,,\n";                       // new: invited
            ApiClient.Response upserted = admin.postRaw(invite + "?upsert=true", "text/csv", upsertCsv, Map.of());
            assertEquals(202, upserted.status(), upserted.body());
            JsonNode upsertJob = InviteFlowIT.awaitFinished(admin, upserted.header("Location"));
            assertEquals("partially_succeeded", upsertJob.get("state").asText(), upsertJob.toString());
            assertEquals(3, upsertJob.get("succeeded").asInt());
            JsonNode lastAdmin = admin.get(upserted.header("Location") + "/errors").json().get("items");
            assertEquals(1, lastAdmin.size(), lastAdmin.toString());
            assertEquals(2, lastAdmin.get(0).get("row").asInt());
            assertEquals("role", lastAdmin.get(0).get("field").asText());
            assertEquals("last_admin", lastAdmin.get(0).get("code").asText());
            JsonNode adaNow = admin.get("/api/v1/users/" + adaId).json();
            assertEquals("Byron", adaNow.get("lastName").asText());
            assertEquals("Staff", adaNow.get("role").asText());
            assertEquals("London", adaNow.get("location").asText());
            assertEquals("math", adaNow.get("tags").get(0).asText());
            assertEquals(1, Sql.count(pool, "SELECT count(*) FROM users WHERE email = '" + InviteFlowIT.ADMIN
                    + "' AND role = 'Admin'"));
            assertEquals(users + 2, Sql.count(pool, "SELECT count(*) FROM users"), "Cy, and no one else");
            assertEquals(1, Sql.count(pool, "SELECT count(*) FROM activity WHERE action = 'roster.user.updated'"),
                    "one change, for Ada; Bob's row changed nothing and the refused row nothing");
            try (TopicReader changes = new TopicReader(test.kafka().bootstrapServers(), test.topics().userChanges())) {
                await().atMost(Duration.ofSeconds(30)).until(() -> changes.readToEnd().stream()
                        .anyMatch(r -> new String(r.value(), StandardCharsets.UTF_8).contains("roster.user.updated")));
            }
            // the same file again changes nothing more: every row is as it says now (or still refused)
            JsonNode repeated = InviteFlowIT.awaitFinished(admin, admin.postRaw(invite + "?upsert=true", "text/csv",
                    upsertCsv, Map.of()).header("Location"));
            assertEquals(3, repeated.get("succeeded").asInt(), repeated.toString());
            assertEquals(1, Sql.count(pool, "SELECT count(*) FROM activity WHERE action = 'roster.user.updated'"));
        }
    }
}

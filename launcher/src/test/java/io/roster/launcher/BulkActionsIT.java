package io.roster.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import io.roster.contracts.event.UserChange;
import io.roster.contracts.event.UserChangeEvent;
import io.roster.contracts.event.UserDeleted;
import io.roster.contracts.event.UserTagsChanged;
import io.roster.contracts.event.UserTransferred;
import io.roster.contracts.serde.Json;
import io.roster.contracts.user.Role;
import io.roster.persistence.Database;
import io.roster.persistence.Organizations;
import io.roster.persistence.Tx;
import io.roster.persistence.Users;
import io.roster.testsupport.ApiClient;
import io.roster.testsupport.Sql;
import io.roster.testsupport.TestEnv;
import io.roster.testsupport.TopicReader;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Bulk tag, delete and transfer end to end over the real broker and database: explicit ids and filters, ids of
 * another tenant smuggled into the body, confirmations, destinations, and a worker killed in the middle of each.
 */
class BulkActionsIT {

    private static final String ADMIN = InviteFlowIT.ADMIN;

    private record Stack(TestEnv test, Map<String, String> env, ApiClient admin, String org, UUID foreignUser,
                         javax.sql.DataSource pool) {
        String jobs() {
            return "/api/v1/orgs/" + org + "/jobs/";
        }
    }

    /** The org's users by email (the admin included). */
    private static Map<String, String> idsByEmail(ApiClient admin, String org, String query) {
        Map<String, String> ids = new HashMap<>();
        admin.get("/api/v1/orgs/" + org + "/users?limit=1000" + query).json().get("items")
                .forEach(u -> ids.put(u.get("email").asText(), u.get("id").asText()));
        return ids;
    }

    /** Invites {@code count} users named {@code prefix}N (every third one Staff) and waits for them. */
    private static void invite(ApiClient admin, String org, String prefix, int count, String role) {
        List<Map<String, Object>> users = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            users.add(Map.of("email", prefix + i + "@bulk.example", "firstName", "U" + i,
                    "role", role != null ? role : i % 3 == 0 ? "Staff" : "User"));
        }
        String location = admin.post("/api/v1/orgs/" + org + "/jobs/invite", Map.of("users", users), Map.of())
                .header("Location");
        assertEquals("succeeded", InviteFlowIT.awaitFinished(admin, location).get("state").asText());
    }

    /** A user of another tenant (another root organization), made directly in the database. */
    static UUID foreignUser(javax.sql.DataSource pool) {
        UUID org = UUID.randomUUID();
        UUID user = UUID.randomUUID();
        Tx.run(pool, c -> {
            Organizations.insertRoot(c, org, "Other tenant");
            Users.insertInvited(c, List.of(new Users.NewUser(user, org, "foreign@other.example", "F", "O",
                    Role.User, null, List.of(), null, Instant.now().truncatedTo(ChronoUnit.MICROS), null, null,
                    null)), UUID::randomUUID);
            return null;
        });
        return user;
    }

    private static Stack start(TestEnv test, Map<String, String> env, java.net.URI api, javax.sql.DataSource pool) {
        ApiClient admin = new ApiClient(api).login(ADMIN, InviteFlowIT.PASSWORD);
        return new Stack(test, env, admin, InviteFlowIT.orgOf(admin), foreignUser(pool), pool);
    }

    /** Change events on the user-changes topic whose data matches, once at least {@code count} arrived. */
    /** Reads the change topic until {@code count} distinct event ids of that type were seen (copies of an id too). */
    private static <T extends UserChange> List<UserChangeEvent> events(Stack stack, Class<T> type, int count) {
        List<UserChangeEvent> found = new ArrayList<>();
        try (TopicReader reader = new TopicReader(stack.env().get("ROSTER_KAFKA_BOOTSTRAP_SERVERS"),
                stack.test().topics().userChanges())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : reader.readToEnd()) {
                    UserChangeEvent event = Json.read(record.value(), UserChangeEvent.class);
                    if (type.isInstance(event.data())) {
                        found.add(event);
                    }
                }
                return found.stream().map(UserChangeEvent::id).distinct().count() >= count;
            });
        }
        return found;
    }

    private static void assertOutboxDrained(Stack stack) {
        await().atMost(Duration.ofSeconds(30)).until(() -> Sql.count(stack.pool(),
                "SELECT count(*) FROM outbox") == 0);
    }

    private static JsonNode errors(ApiClient admin, String location) {
        return admin.get(location + "/errors").json().get("items");
    }

    @Test
    void tagsApplyByIdsAndByFilterOnceAndOnlyWithinReach() {
        TestEnv test = TestEnv.create("bulktag");
        Map<String, String> env = InviteFlowIT.env(test);
        try (PackagedRoster system = PackagedRoster.start(env); var pool = Database.pool(test.db(), "bulk")) {
            Stack stack = start(test, env, system.apiUri(), pool);
            ApiClient admin = stack.admin();
            invite(admin, stack.org(), "t", 9, null);
            Map<String, String> ids = idsByEmail(admin, stack.org(), "");
            List<String> picked = new ArrayList<>(List.of(ids.get("t1@bulk.example"), ids.get("t2@bulk.example"),
                    ids.get("t4@bulk.example")));
            picked.add(stack.foreignUser().toString());

            ApiClient.Response unknown = admin.post(stack.jobs() + "tag", Map.of("userIds", picked, "tag", "vip"),
                    Map.of());
            assertEquals(422, unknown.status(), unknown.body());
            assertEquals("tag", unknown.json().at("/errors/0/field").asText());
            assertEquals(400, admin.post(stack.jobs() + "tag", Map.of("tag", "vip", "create", true), Map.of())
                    .status(), "neither userIds nor filter");

            ApiClient.Response accepted = admin.post(stack.jobs() + "tag", Map.of("userIds", picked, "tag", "vip",
                    "create", true), Map.of());
            assertEquals(202, accepted.status(), accepted.body());
            JsonNode job = InviteFlowIT.awaitFinished(admin, accepted.header("Location"));
            assertEquals("partially_succeeded", job.get("state").asText(), job.toString());
            assertEquals(4, job.get("total").asInt());
            assertEquals(3, job.get("succeeded").asInt());
            JsonNode errors = errors(admin, accepted.header("Location"));
            assertEquals(1, errors.size());
            assertEquals(4, errors.get(0).get("row").asInt(), "the fourth id: another tenant's user");
            assertEquals("not_found", errors.get(0).get("code").asText());
            assertEquals("userIds", errors.get(0).get("field").asText());
            assertEquals(Set.of("t1@bulk.example", "t2@bulk.example", "t4@bulk.example"),
                    idsByEmail(admin, stack.org(), "&tag=vip").keySet());
            assertEquals(0, Sql.count(stack.pool(), "SELECT count(*) FROM user_tags WHERE user_id = '"
                    + stack.foreignUser() + "' AND tags <> '{}'"), "the other tenant's user is untouched");
            assertEquals(3, events(stack, UserTagsChanged.class, 3).size());

            // the same again: nothing changes, nothing is emitted
            String again = admin.post(stack.jobs() + "tag", Map.of("userIds", picked.subList(0, 3), "tag", "vip"),
                    Map.of()).header("Location");
            assertEquals("succeeded", InviteFlowIT.awaitFinished(admin, again).get("state").asText());
            assertEquals(3, InviteFlowIT.awaitFinished(admin, again).get("succeeded").asInt());
            assertOutboxDrained(stack);
            assertEquals(3, events(stack, UserTagsChanged.class, 3).size(), "applying twice emits nothing");

            // by filter: every Staff user, resolved when the job is submitted
            int staff = idsByEmail(admin, stack.org(), "&role=Staff").size();
            ApiClient.Response byFilter = admin.post(stack.jobs() + "tag", Map.of("filter", Map.of("role",
                    List.of("Staff")), "tag", "team", "create", true), Map.of());
            assertEquals(staff, byFilter.json().get("total").asInt(), "the job says how many the filter matched");
            assertEquals("succeeded", InviteFlowIT.awaitFinished(admin, byFilter.header("Location")).get("state")
                    .asText());
            assertEquals(idsByEmail(admin, stack.org(), "&role=Staff").keySet(),
                    idsByEmail(admin, stack.org(), "&tag=team").keySet());

            // every user the filter matches but two: "all matching" with two rows unticked
            Map<String, String> everyone = idsByEmail(admin, stack.org(), "");
            List<String> unticked = List.of(ids.get("t3@bulk.example"), ids.get("t5@bulk.example"));
            ApiClient.Response allBut = admin.post(stack.jobs() + "tag", Map.of("filter", Map.of(),
                    "excludeUserIds", unticked, "tag", "all-but-two", "create", true), Map.of());
            assertEquals(202, allBut.status(), allBut.body());
            assertEquals(everyone.size() - 2, allBut.json().get("total").asInt());
            assertEquals("succeeded", InviteFlowIT.awaitFinished(admin, allBut.header("Location")).get("state")
                    .asText());
            Set<String> tagged = idsByEmail(admin, stack.org(), "&tag=all-but-two").keySet();
            Set<String> expected = new HashSet<>(everyone.keySet());
            expected.removeAll(Set.of("t3@bulk.example", "t5@bulk.example"));
            assertEquals(expected, tagged);
            ApiClient.Response idsAndExcluded = admin.post(stack.jobs() + "tag", Map.of("userIds", picked.subList(0, 1),
                    "excludeUserIds", unticked, "tag", "team"), Map.of());
            assertEquals(400, idsAndExcluded.status(), idsAndExcluded.body());
            assertEquals("excludeUserIds", idsAndExcluded.json().at("/errors/0/field").asText());
            ApiClient.Response everyoneExcluded = admin.post(stack.jobs() + "tag", Map.of("filter", Map.of(
                    "q", "t3@bulk"), "excludeUserIds", unticked, "tag", "team"), Map.of());
            assertEquals(422, everyoneExcluded.status(), "nothing left to tag: " + everyoneExcluded.body());

            // the same Idempotency-Key: the same job (the filter is not run again); another body: 422
            Map<String, Object> keyed = Map.of("filter", Map.of("role", List.of("Staff")), "tag", "team");
            String first = admin.post(stack.jobs() + "tag", keyed, Map.of("Idempotency-Key", "tag-1"))
                    .header("Location");
            InviteFlowIT.awaitFinished(admin, first);
            ApiClient.Response retry = admin.post(stack.jobs() + "tag", keyed, Map.of("Idempotency-Key", "tag-1"));
            assertEquals(202, retry.status(), retry.body());
            assertEquals(first, retry.header("Location"));
            assertEquals(staff, retry.json().get("total").asInt());
            ApiClient.Response other = admin.post(stack.jobs() + "tag", Map.of("filter", Map.of("role",
                    List.of("User")), "tag", "team"), Map.of("Idempotency-Key", "tag-1"));
            assertEquals(422, other.status(), other.body());
            assertEquals("Idempotency-Key", other.json().at("/errors/0/field").asText());

            // removing by filter
            String removal = admin.post(stack.jobs() + "tag", Map.of("filter", Map.of("tag", "vip"), "tag", "vip",
                    "remove", true), Map.of()).header("Location");
            assertEquals(3, InviteFlowIT.awaitFinished(admin, removal).get("succeeded").asInt());
            assertEquals(Set.of(), idsByEmail(admin, stack.org(), "&tag=vip").keySet());

            ApiClient.Response badFilter = admin.post(stack.jobs() + "tag", Map.of("filter", Map.of("status",
                    List.of("sleeping")), "tag", "team"), Map.of());
            assertEquals(400, badFilter.status());
            assertEquals("filter.status", badFilter.json().at("/errors/0/field").asText());
            ApiClient.Response none = admin.post(stack.jobs() + "tag", Map.of("filter", Map.of("q", "nobody-here"),
                    "tag", "team"), Map.of());
            assertEquals(422, none.status(), none.body());
            assertEquals("filter", none.json().at("/errors/0/field").asText());
        }
    }

    @Test
    void deleteNeedsTheConfirmationAndRemovesUsersWithTheirSessionsAndInvitations() {
        TestEnv test = TestEnv.create("bulkdel");
        Map<String, String> env = InviteFlowIT.env(test);
        try (PackagedRoster system = PackagedRoster.start(env); var pool = Database.pool(test.db(), "bulk")) {
            Stack stack = start(test, env, system.apiUri(), pool);
            ApiClient admin = stack.admin();
            invite(admin, stack.org(), "d", 8, null);
            Map<String, String> ids = idsByEmail(admin, stack.org(), "");
            String adminId = ids.get(ADMIN);
            List<String> doomed = List.of(ids.get("d1@bulk.example"), ids.get("d2@bulk.example"),
                    stack.foreignUser().toString());
            long usersBefore = Sql.count(stack.pool(), "SELECT count(*) FROM users");

            ApiClient.Response missing = admin.post(stack.jobs() + "delete", Map.of("userIds", doomed), Map.of());
            assertEquals(422, missing.status(), missing.body());
            assertEquals("confirm", missing.json().at("/errors/0/field").asText());
            assertEquals("application/problem+json", missing.header("Content-Type"));
            assertEquals(422, admin.post(stack.jobs() + "delete", Map.of("userIds", doomed, "confirm", "delete"),
                    Map.of()).status(), "exactly DELETE");
            ApiClient.Response self = admin.post(stack.jobs() + "delete", Map.of("userIds", List.of(adminId),
                    "confirm", "DELETE"), Map.of());
            assertEquals(422, self.status());
            assertEquals("userIds[0]", self.json().at("/errors/0/field").asText());
            assertEquals(usersBefore, Sql.count(stack.pool(), "SELECT count(*) FROM users"), "refusals change nothing");
            assertEquals(0, Sql.count(stack.pool(), "SELECT count(*) FROM jobs WHERE type = 'delete'"));

            // a live session of one of them ends with the deletion
            Sql.execute(stack.pool(), "INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ('\\x01', '"
                    + doomed.get(0) + "', now() + interval '1 hour')");
            String location = admin.post(stack.jobs() + "delete", Map.of("userIds", doomed, "confirm", "DELETE"),
                    Map.of()).header("Location");
            JsonNode job = InviteFlowIT.awaitFinished(admin, location);
            assertEquals(2, job.get("succeeded").asInt(), job.toString());
            assertEquals(1, job.get("failed").asInt());
            assertEquals("not_found", errors(admin, location).get(0).get("code").asText());
            assertEquals(usersBefore - 2, Sql.count(stack.pool(), "SELECT count(*) FROM users"));
            assertEquals(0, Sql.count(stack.pool(), "SELECT count(*) FROM sessions WHERE user_id = '" + doomed.get(0)
                    + "'"));
            assertEquals(0, Sql.count(stack.pool(), "SELECT count(*) FROM invitations WHERE user_id IN ('"
                    + doomed.get(0) + "', '" + doomed.get(1) + "')"), "their invitations are gone");
            assertEquals(0, Sql.count(stack.pool(), "SELECT count(*) FROM user_activity WHERE user_id IN ('"
                    + doomed.get(0) + "', '" + doomed.get(1) + "')"), "their data is gone");
            assertEquals(1, Sql.count(stack.pool(), "SELECT count(*) FROM users WHERE id = '" + stack.foreignUser()
                    + "'"), "the other tenant's user is untouched");
            List<UserChangeEvent> deleted = events(stack, UserDeleted.class, 2);
            assertEquals(Set.of(doomed.get(0), doomed.get(1)), deleted.stream()
                    .map(e -> e.data().userId().toString()).collect(Collectors.toSet()));
            assertEquals(2, tombstones(stack, Set.of(doomed.get(0), doomed.get(1))));

            // by filter: every pending Staff user
            int staff = idsByEmail(admin, stack.org(), "&role=Staff&status=pending").size();
            String byFilter = admin.post(stack.jobs() + "delete", Map.of("filter", Map.of("role", List.of("Staff"),
                    "status", List.of("pending")), "confirm", "DELETE"), Map.of()).header("Location");
            assertEquals(staff, InviteFlowIT.awaitFinished(admin, byFilter).get("succeeded").asInt());
            assertEquals(0, idsByEmail(admin, stack.org(), "&role=Staff").size());

            // a filter that takes in the caller and every admin: the caller is refused, the last admin is kept
            String admins = admin.post(stack.jobs() + "delete", Map.of("filter", Map.of("role", List.of("Admin")),
                    "confirm", "DELETE"), Map.of()).header("Location");
            JsonNode refused = InviteFlowIT.awaitFinished(admin, admins);
            assertEquals(1, refused.get("failed").asInt());
            assertEquals("cannot_delete_self", errors(admin, admins).get(0).get("code").asText());
            assertTrue(idsByEmail(admin, stack.org(), "").containsKey(ADMIN));
        }
    }

    @Test
    void theLastAdminOfAnOrganizationIsKept() {
        TestEnv test = TestEnv.create("lastadmin");
        Map<String, String> env = InviteFlowIT.env(test);
        try (PackagedRoster system = PackagedRoster.start(env); var pool = Database.pool(test.db(), "bulk")) {
            Stack stack = start(test, env, system.apiUri(), pool);
            ApiClient admin = stack.admin();
            String sub = admin.post("/api/v1/orgs/" + stack.org() + "/sub-orgs", Map.of("name", "Branch"), Map.of())
                    .json().get("id").asText();
            invite(admin, sub, "boss", 2, "Admin");
            List<String> bosses = new ArrayList<>(idsByEmail(admin, sub, "").values());
            String location = admin.post(stack.jobs() + "delete", Map.of("userIds", bosses, "confirm", "DELETE"),
                    Map.of()).header("Location");
            JsonNode job = InviteFlowIT.awaitFinished(admin, location);
            assertEquals(1, job.get("succeeded").asInt(), job.toString());
            JsonNode errors = errors(admin, location);
            assertEquals("last_admin", errors.get(0).get("code").asText());
            assertEquals(2, errors.get(0).get("row").asInt());
            assertEquals(1, idsByEmail(admin, sub, "&role=Admin").size());
        }
    }

    @Test
    void transferMovesUsersToTheAdminsOrganizationAndMailsThemAndTheAdmin() throws Exception {
        TestEnv test = TestEnv.create("bulkxfer");
        Map<String, String> env = new HashMap<>(InviteFlowIT.env(test));
        GreenMail smtp = InvitationIT.smtpFor(env);
        try (PackagedRoster system = PackagedRoster.start(env); var pool = Database.pool(test.db(), "bulk")) {
            Stack stack = start(test, env, system.apiUri(), pool);
            ApiClient admin = stack.admin();
            String dest = admin.post("/api/v1/orgs/" + stack.org() + "/sub-orgs", Map.of("name", "Destination"),
                    Map.of()).json().get("id").asText();
            invite(admin, dest, "chief", 1, "Admin");
            invite(admin, stack.org(), "m", 6, null);
            Map<String, String> ids = idsByEmail(admin, stack.org(), "");
            String tagged = admin.post(stack.jobs() + "tag", Map.of("userIds", List.of(ids.get("m1@bulk.example")),
                    "tag", "old", "create", true), Map.of()).header("Location");
            InviteFlowIT.awaitFinished(admin, tagged);

            ApiClient.Response unknown = admin.post(stack.jobs() + "transfer", Map.of("userIds",
                    List.of(ids.get("m1@bulk.example")), "destinationAdminEmail", "nobody@bulk.example"), Map.of());
            assertEquals(422, unknown.status());
            assertEquals("destinationAdminEmail", unknown.json().at("/errors/0/field").asText());
            assertEquals("unknown-destination", slug(unknown));
            assertEquals("not-an-admin", slug(admin.post(stack.jobs() + "transfer", Map.of("userIds",
                    List.of(ids.get("m1@bulk.example")), "destinationAdminEmail", "m0@bulk.example"), Map.of())));
            assertEquals("unknown-destination", slug(admin.post(stack.jobs() + "transfer", Map.of("userIds",
                    List.of(ids.get("m1@bulk.example")), "destinationAdminEmail", "foreign@other.example"), Map.of())),
                    "another tenant's account is answered as unknown");
            assertEquals(400, admin.post(stack.jobs() + "transfer", Map.of("userIds",
                    List.of(ids.get("m1@bulk.example")), "destinationAdminEmail", "chief0@bulk.example", "role",
                    "Boss"), Map.of()).status());

            String lone = admin.post("/api/v1/orgs/" + stack.org() + "/sub-orgs", Map.of("name", "Lone"),
                    Map.of()).json().get("id").asText();
            invite(admin, lone, "lone", 1, "Admin");
            ApiClient.Response self = admin.post(stack.jobs() + "transfer", Map.of("userIds",
                    List.of(ids.get("m1@bulk.example"), ids.get(InviteFlowIT.ADMIN)), "destinationAdminEmail",
                    "chief0@bulk.example"), Map.of());
            assertEquals("cannot-transfer-self", slug(self), "the caller named by id is refused at once");
            assertEquals("userIds[1]", self.json().at("/errors/0/field").asText());
            // selected by a filter, the caller is found by the worker: a row error
            String byFilter = admin.post(stack.jobs() + "transfer", Map.of("filter", Map.of("role", List.of("Admin")),
                    "destinationAdminEmail", "chief0@bulk.example"), Map.of()).header("Location");
            assertEquals(0, InviteFlowIT.awaitFinished(admin, byFilter).get("succeeded").asInt());
            assertEquals("cannot_transfer_self", errors(admin, byFilter).get(0).get("code").asText());

            List<String> moving = List.of(ids.get("m1@bulk.example"), ids.get("m2@bulk.example"),
                    stack.foreignUser().toString(), idsByEmail(admin, dest, "").get("chief0@bulk.example"),
                    idsByEmail(admin, lone, "").get("lone0@bulk.example"));
            String location = admin.post(stack.jobs() + "transfer", Map.of("userIds", moving,
                    "destinationAdminEmail", "Chief0@Bulk.example", "role", "Staff"), Map.of()).header("Location");
            JsonNode job = InviteFlowIT.awaitFinished(admin, location);
            assertEquals(2, job.get("succeeded").asInt(), job.toString());
            List<String> refused = new ArrayList<>();
            errors(admin, location).forEach(e -> refused.add(e.get("row").asInt() + ":" + e.get("code").asText()));
            assertEquals(List.of("3:not_found", "4:already_in_destination", "5:last_admin"), refused,
                    "another tenant's user, a user already there, an organization's last admin");
            assertEquals(1, idsByEmail(admin, lone, "&role=Admin").size());

            Map<String, String> there = idsByEmail(admin, dest, "&role=Staff");
            assertEquals(Set.of("m1@bulk.example", "m2@bulk.example"), there.keySet());
            assertEquals(ids.get("m1@bulk.example"), there.get("m1@bulk.example"), "the same account moved");
            assertEquals(0, Sql.count(stack.pool(), "SELECT count(*) FROM user_tags WHERE tags <> '{}' AND user_id = '"
                    + ids.get("m1@bulk.example") + "'"), "tags stay behind: they belong to the old organization");
            List<UserChangeEvent> moved = events(stack, UserTransferred.class, 2);
            for (UserChangeEvent event : moved) {
                UserTransferred data = (UserTransferred) event.data();
                assertEquals(stack.org(), data.fromOrgId().toString());
                assertEquals(dest, data.orgId().toString());
                assertEquals(Role.Staff, data.role());
            }
            Set<String> recipients = new HashSet<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (MimeMessage message : smtp.getReceivedMessages()) {
                    if (message.getSubject().contains("moved to") || message.getSubject().contains("transferred")) {
                        recipients.add(message.getAllRecipients()[0].toString());
                    }
                }
                return recipients.size() >= 3;
            });
            assertEquals(Set.of("m1@bulk.example", "m2@bulk.example", "chief0@bulk.example"), recipients);
        } finally {
            smtp.stop();
        }
    }

    @Test
    void theActivityLogIsMailedToTheRequestingAdminAsACsvAttachment() throws Exception {
        TestEnv test = TestEnv.create("actmail");
        Map<String, String> env = new HashMap<>(InviteFlowIT.env(test));
        GreenMail smtp = InvitationIT.smtpFor(env);
        try (PackagedRoster system = PackagedRoster.start(env); var pool = Database.pool(test.db(), "bulk")) {
            Stack stack = start(test, env, system.apiUri(), pool);
            ApiClient admin = stack.admin();
            invite(admin, stack.org(), "log", 1, null);
            String user = idsByEmail(admin, stack.org(), "").get("log0@bulk.example");
            assertEquals(400, admin.post(stack.jobs() + "tag", Map.of("userIds", List.of(user), "tag", "=cmd|x",
                    "create", true), Map.of()).status(), "tag names cannot carry formulas");
            String tag = admin.post(stack.jobs() + "tag", Map.of("userIds", List.of(user), "tag", "vip", "create", true),
                    Map.of()).header("Location");
            InviteFlowIT.awaitFinished(admin, tag);

            assertEquals(404, admin.post("/api/v1/users/" + stack.foreignUser() + "/activity/email", Map.of(),
                    Map.of()).status(), "another tenant's user");
            ApiClient.Response mailed = admin.post("/api/v1/users/" + user + "/activity/email", Map.of(), Map.of());
            assertEquals(202, mailed.status(), mailed.body());
            assertEquals(ADMIN, mailed.json().get("to").asText());
            assertEquals(2, mailed.json().get("entries").asInt(), "invited, tagged");

            await().atMost(Duration.ofSeconds(30)).until(() -> java.util.Arrays.stream(smtp.getReceivedMessages())
                    .anyMatch(m -> subject(m).startsWith("Activity log")));
            MimeMessage message = java.util.Arrays.stream(smtp.getReceivedMessages())
                    .filter(m -> subject(m).startsWith("Activity log")).findFirst().orElseThrow();
            assertEquals(ADMIN, message.getAllRecipients()[0].toString());
            jakarta.mail.Multipart parts = (jakarta.mail.Multipart) message.getContent();
            jakarta.mail.BodyPart file = parts.getBodyPart(1);
            assertEquals("activity-log0@bulk.example.csv", file.getFileName());
            List<org.apache.commons.csv.CSVRecord> rows = org.apache.commons.csv.CSVFormat.RFC4180.parse(
                    new java.io.InputStreamReader(file.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))
                    .getRecords();
            assertEquals(List.of("at", "action", "actor", "client", "details"), rows.get(0).toList());
            assertEquals(3, rows.size());
            assertEquals("roster.user.tags-changed", rows.get(1).get(1), "newest first");
            assertEquals(ADMIN, rows.get(1).get(2), "the actor by email");
            assertEquals("roster.user.invited", rows.get(2).get(1));
            assertEquals(3, Sql.count(pool, "SELECT count(*) FROM user_activity WHERE user_id = '" + user + "'"),
                    "the mailing is in the log too");
        } finally {
            smtp.stop();
        }
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aRunHaltedMidJobAppliesNoRowTwiceForEachKindOfJob() {
        TestEnv test = TestEnv.create("bulkcrash");
        Map<String, String> env = InviteFlowIT.env(test);
        try (var pool = Database.pool(test.db(), "bulk")) {
            Stack stack;
            String dest;
            List<String> all;
            try (PackagedRoster setup = PackagedRoster.start(env)) {
                stack = start(test, env, setup.apiUri(), pool);
                ApiClient admin = stack.admin();
                dest = admin.post("/api/v1/orgs/" + stack.org() + "/sub-orgs", Map.of("name", "Elsewhere"),
                        Map.of()).json().get("id").asText();
                invite(admin, dest, "lead", 1, "Admin");
                invite(admin, stack.org(), "k", 12, "User");
                all = idsByEmail(admin, stack.org(), "&role=User").values().stream().sorted().toList();
            }
            String token = stack.admin().token();

            Map<String, Object> tag = Map.of("userIds", all, "tag", "crash", "create", true);
            crashOnce(env, token, pool, stack.jobs() + "tag", tag, 12);
            assertEquals(12, distinctEvents(events(stack, UserTagsChanged.class, 12)));

            Map<String, Object> transfer = Map.of("userIds", all.subList(0, 6), "destinationAdminEmail",
                    "lead0@bulk.example");
            crashOnce(env, token, pool, stack.jobs() + "transfer", transfer, 6);
            assertEquals(6, distinctEvents(events(stack, UserTransferred.class, 6)));

            Map<String, Object> delete = Map.of("userIds", all.subList(6, 12), "confirm", "DELETE");
            crashOnce(env, token, pool, stack.jobs() + "delete", delete, 6);
            assertEquals(6, distinctEvents(events(stack, UserDeleted.class, 6)));
            try (PackagedRoster after = PackagedRoster.start(env)) {
                ApiClient admin = new ApiClient(after.apiUri()).withToken(token);
                assertEquals(0, idsByEmail(admin, stack.org(), "&role=User").size());
                assertEquals(7, idsByEmail(admin, dest, "").size());
            }
        }
    }

    /**
     * Runs the job on a packaged run that halts (as kill -9 would) right after its first chunk's commit, then on a
     * new process, and checks the counts.
     */
    private static void crashOnce(Map<String, String> env, String token, javax.sql.DataSource pool, String path,
                                  Map<String, Object> body, int rows) {
        Map<String, String> crashing = new HashMap<>(env);
        crashing.put("ROSTER_FAULT_HALT_AFTER_CHUNKS", "users:1");
        io.roster.contracts.Topics topics = io.roster.platform.KafkaSettings.from(new io.roster.platform.Settings(env))
                .topics();
        String topic = path.endsWith("transfer") ? topics.transfers() : topics.bulkActions();
        long committedBefore = io.roster.testsupport.CommittedOffsets.sum(env.get("ROSTER_KAFKA_BOOTSTRAP_SERVERS"),
                io.roster.workers.Workers.GROUP_ID, topic);
        String location;
        try (PackagedRoster roster = PackagedRoster.start(crashing)) {
            try {
                location = new ApiClient(roster.apiUri()).withToken(token).post(path, body, Map.of())
                        .header("Location");
            } catch (java.io.UncheckedIOException halted) {
                // the run may halt after the chunk's commit before the response is written: the job is in the table
                location = "/api/v1/jobs/" + Sql.text(pool, "SELECT id FROM jobs WHERE type = '"
                        + path.substring(path.lastIndexOf('/') + 1) + "' ORDER BY created_at DESC LIMIT 1");
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> !roster.alive());
        }
        assertEquals(2, Sql.count(pool, "SELECT processed FROM jobs WHERE id = '"
                + location.substring(location.lastIndexOf('/') + 1) + "'"), "one chunk committed, then the crash");
        assertEquals(committedBefore, io.roster.testsupport.CommittedOffsets.sum(
                env.get("ROSTER_KAFKA_BOOTSTRAP_SERVERS"), io.roster.workers.Workers.GROUP_ID, topic),
                "the applied chunk's offset was not committed: it comes again");
        try (PackagedRoster again = PackagedRoster.start(env)) {
            JsonNode job = InviteFlowIT.awaitFinished(new ApiClient(again.apiUri()).withToken(token), location);
            assertEquals("succeeded", job.get("state").asText(), job.toString());
            assertEquals(rows, job.get("processed").asInt());
            assertEquals(rows, job.get("succeeded").asInt());
        }
    }

    /**
     * Each user has exactly one event id and each id names one user: returns how many users. The relay may deliver an
     * id again after the halt (sent, then halted before its outbox row was deleted: DESIGN guarantee 3, "delivery may
     * repeat an id but never loses one"), so copies of an id are allowed, a second id for the same change is not.
     */
    private static int distinctEvents(List<UserChangeEvent> events) {
        Map<UUID, Set<UUID>> idsByUser = new HashMap<>();
        Map<UUID, Set<UUID>> usersById = new HashMap<>();
        for (UserChangeEvent e : events) {
            idsByUser.computeIfAbsent(e.data().userId(), u -> new HashSet<>()).add(e.id());
            usersById.computeIfAbsent(e.id(), u -> new HashSet<>()).add(e.data().userId());
        }
        assertTrue(idsByUser.values().stream().allMatch(s -> s.size() == 1), "one event id per user: " + idsByUser);
        assertTrue(usersById.values().stream().allMatch(s -> s.size() == 1), "one user per event id: " + usersById);
        return idsByUser.size();
    }

    private static String slug(ApiClient.Response response) {
        String type = response.json().get("type").asText();
        return type.substring(type.lastIndexOf('/') + 1);
    }

    /** How many of {@code users} have a tombstone (a null value) on the users topic. */
    private static int tombstones(Stack stack, Set<String> users) {
        Set<String> found = new HashSet<>();
        try (TopicReader reader = new TopicReader(stack.env().get("ROSTER_KAFKA_BOOTSTRAP_SERVERS"),
                stack.test().topics().users())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : reader.readToEnd()) {
                    if (record.value() == null && users.contains(record.key())) {
                        found.add(record.key());
                    }
                }
                return found.size() == users.size();
            });
        }
        return found.size();
    }
}

package io.roster.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.roster.gateway.users.UserListQuery;
import io.roster.gateway.users.UserListSql;
import io.roster.persistence.Organizations;
import io.roster.persistence.repositories.ManagedTx;
import io.roster.testsupport.ApiClient;
import io.roster.testsupport.TestEnv;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The users list's query answers over real PostgreSQL: status order, paging by cursor, filters. */
class UserListIT {

    static final String ADMIN = "root@userlist.example";
    static final String PASSWORD = "a long enough password";

    static TestEnv env;
    static Gateway gateway;
    static ApiClient admin;
    static String org;

    @BeforeAll
    static void start() {
        env = TestEnv.create("userlist");
        gateway = Gateway.start(env.env(Map.of("ROSTER_HTTP_PORT", "0", "ROSTER_ADMIN_EMAIL", ADMIN,
                "ROSTER_ADMIN_PASSWORD", PASSWORD)));
        admin = new ApiClient(gateway.uri()).login(ADMIN, PASSWORD);
        org = admin.post("/api/v1/auth/login", Map.of("email", ADMIN, "password", PASSWORD), Map.of()).json()
                .at("/user/orgId").asText();
        ManagedTx tx = gateway.context().getBean(ManagedTx.class);
        // the admin (pending: no status topology runs here), 5 pending, 2 active, 3 inactive; names against the
        // status order; tags in every relation a tag list can have to another (equal, a prefix, apart, none)
        String[][] users = {
            {"zoe", "pending", "vip", "Staff"}, {"yves", "pending", "beta,vip", "User"},
            {"xena", "pending", "beta", "User"}, {"wim", "pending", "", "Admin"}, {"anna", "active", "vip", "User"},
            {"bert", "active", "beta,alpha", "Staff"}, {"carl", "inactive", "beta", "Staff"},
            {"dora", "inactive", "", "User"}, {"emil", "inactive", "alpha", "User"}};
        tx.run(c -> {
            UUID orgId = UUID.fromString(org);
            try (var ps = c.prepareStatement("INSERT INTO users (id, org_id, email, first_name, last_name, role, status) "
                    + "VALUES (?, ?, ?, ?, 'Test', ?, ?)");
                 var tagged = c.prepareStatement("UPDATE user_tags SET tags = ? WHERE user_id = ?")) {
                for (String[] user : users) {
                    UUID id = UUID.randomUUID();
                    ps.setObject(1, id);
                    ps.setObject(2, orgId);
                    ps.setString(3, user[0] + "@userlist.example");
                    ps.setString(4, user[0]);
                    ps.setString(5, user[3]);
                    ps.setString(6, user[1]);
                    ps.executeUpdate();
                    tagged.setArray(1, c.createArrayOf("text", user[2].isEmpty() ? new String[0] : user[2].split(",")));
                    tagged.setObject(2, id);
                    tagged.executeUpdate();
                }
            }
            return Organizations.find(c, orgId).orElseThrow();
        });
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    /** Every page of the query, followed by cursor, with {@code limit} rows a page. */
    static List<JsonNode> all(String query, int limit) {
        return all(org, query, limit);
    }

    /** Every page of {@code org}'s list for {@code query}, following the cursors. */
    static List<JsonNode> all(String org, String query, int limit) {
        List<JsonNode> rows = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = admin.get("/api/v1/orgs/" + org + "/users?limit=" + limit + query
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8))).json();
            page.get("items").forEach(rows::add);
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        return rows;
    }

    static List<String> statuses(List<JsonNode> rows) {
        return rows.stream().map(r -> r.get("status").asText()).toList();
    }

    @Test
    void statusSortsInLifecycleOrderBothWaysAcrossPages() {
        for (int limit : new int[] {1, 2, 3, 50}) {
            List<JsonNode> ascending = all("&sort=status,asc", limit);
            assertEquals(10, ascending.size(), "every user once at limit " + limit);
            assertEquals(List.of("pending", "pending", "pending", "pending", "pending", "active", "active",
                    "inactive", "inactive", "inactive"), statuses(ascending), "limit " + limit);
            List<JsonNode> descending = all("&sort=status,desc", limit);
            List<String> reversed = new ArrayList<>(statuses(ascending));
            java.util.Collections.reverse(reversed);
            assertEquals(reversed, statuses(descending), "limit " + limit);
            assertEquals(10, descending.stream().map(r -> r.get("id").asText()).distinct().count());
        }
        assertEquals(List.of("pending", "pending", "pending", "pending", "pending", "inactive", "inactive",
                        "inactive"),
                statuses(all("&sort=status&status=inactive,pending", 2)), "a status filter keeps the order");
        assertEquals(List.of("inactive", "inactive", "inactive", "active", "active"),
                statuses(all("&sort=status,desc&status=active,inactive", 4)));
    }

    @Test
    void tagsSortByTheListElementByElementBothWaysAcrossPages() {
        // as PostgreSQL compares text arrays: element by element, a prefix first (untagged users first of all),
        // ties by id (a UUID's text sorts as its bytes)
        java.util.Comparator<JsonNode> byTags = (a, b) -> {
            List<String> x = tags(a);
            List<String> y = tags(b);
            for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                int c = x.get(i).compareTo(y.get(i));
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(x.size(), y.size());
        };
        java.util.Comparator<JsonNode> order = byTags.thenComparing(u -> u.get("id").asText());
        for (int limit : new int[] {1, 2, 3, 50}) {
            List<JsonNode> ascending = all("&sort=tags", limit);
            assertEquals(10, ascending.size(), "every user once at limit " + limit);
            assertEquals(ascending.stream().sorted(order).map(UserListIT::tags).toList(),
                    ascending.stream().map(UserListIT::tags).toList(), "limit " + limit);
            assertEquals(ascending.stream().sorted(order).map(u -> u.get("id").asText()).toList(),
                    ascending.stream().map(u -> u.get("id").asText()).toList(), "ties by id, limit " + limit);
            List<JsonNode> descending = all("&sort=tags,desc", limit);
            List<String> reversed = new ArrayList<>(ascending.stream().map(u -> u.get("id").asText()).toList());
            java.util.Collections.reverse(reversed);
            assertEquals(reversed, descending.stream().map(u -> u.get("id").asText()).toList(), "limit " + limit);
        }
        assertEquals(List.of(List.of(), List.of(), List.of(), List.of("alpha"), List.of("beta"), List.of("beta"),
                        List.of("beta", "alpha"), List.of("beta", "vip"), List.of("vip"), List.of("vip")),
                all("&sort=tags", 2).stream().map(UserListIT::tags).toList());
        assertEquals(List.of(List.of("beta"), List.of("alpha"), List.of()),
                all("&sort=tags,desc&status=inactive", 2).stream().map(UserListIT::tags).toList(),
                "a status filter keeps the order");
    }

    /**
     * The list reads in order from an index for every sort, both ways, with and without a role or status filter, on
     * the first page and after a cursor: no full scan of the users table and nothing sorted but the few rows each
     * ordered branch returns. Seq scans, bitmap scans and sorts are discouraged for the EXPLAIN, so the plan shows
     * whether an index walk exists at all for the query (on a table this small PostgreSQL would rightly scan it).
     */
    @Test
    void everyListQueryWalksAnIndexInItsOrder() throws Exception {
        Map<UserListQuery.Column, String> cursorKeys = Map.of(UserListQuery.Column.name, "m",
                UserListQuery.Column.email, "m", UserListQuery.Column.role, "Staff", UserListQuery.Column.location, "",
                UserListQuery.Column.status, "1", UserListQuery.Column.lastLogin, "2026-01-01T00:00:00Z",
                UserListQuery.Column.tags, "beta");
        UUID orgId = UUID.fromString(org);
        ManagedTx tx = gateway.context().getBean(ManagedTx.class);
        for (UserListQuery.Column column : UserListQuery.Column.values()) {
            for (String direction : List.of("asc", "desc")) {
                for (String[] filter : List.of(new String[] {null, null}, new String[] {"Admin,Staff", null},
                        new String[] {null, "active"}, new String[] {null, "pending,inactive"})) {
                    UserListQuery query = UserListQuery.parse(column + "," + direction, filter[0], filter[1], null,
                            null, false, 50);
                    for (boolean afterCursor : List.of(false, true)) {
                        UserListSql sql = UserListSql.build(orgId, query,
                                afterCursor ? cursorKeys.get(column) : null, afterCursor ? UUID.randomUUID() : null);
                        String plan = tx.run(c -> {
                            try (var s = c.createStatement()) {
                                s.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; "
                                        + "SET LOCAL enable_sort = off");
                            }
                            try (var ps = sql.prepare(c, "EXPLAIN (FORMAT JSON) "); var rs = ps.executeQuery()) {
                                rs.next();
                                return rs.getString(1);
                            }
                        });
                        String name = column + "," + direction + " role=" + filter[0] + " status=" + filter[1]
                                + (afterCursor ? " after a cursor" : " first page");
                        assertWalksAnIndex(new com.fasterxml.jackson.databind.ObjectMapper().readTree(plan).get(0)
                                .get("Plan"), false, name + ": " + plan);
                    }
                }
            }
        }
    }

    /**
     * No scan of users or of their tags rows but an index scan; a Sort only above a Limit (a branch's page), never
     * over a scan; no walk that starts at the cursor's row by a condition on the sort key beside a list of the key's
     * values (PostgreSQL walks the values before the cursor's: the deeper the page, the longer).
     */
    private static void assertWalksAnIndex(JsonNode node, boolean sorting, String context) {
        String type = node.get("Node Type").asText();
        if (List.of("users", "user_tags").contains(node.path("Relation Name").asText(""))) {
            assertTrue(type.equals("Index Scan") || type.equals("Index Only Scan"), type + " in " + context);
            assertFalse(sorting, "a sort over a scan of users in " + context);
            String condition = node.path("Index Cond").asText("");
            assertFalse(condition.contains("ROW(") && condition.contains("ANY ("), condition + " in " + context);
        }
        boolean below = type.equals("Sort") || (sorting && !type.equals("Limit"));
        for (JsonNode child : node.path("Plans")) {
            assertWalksAnIndex(child, below, context);
        }
    }

    @Test
    void roleSortsByNameBothWaysAcrossPagesWithAndWithoutFilters() {
        java.util.Comparator<JsonNode> order = java.util.Comparator.<JsonNode, String>comparing(
                u -> u.get("role").asText()).thenComparing(u -> u.get("id").asText());
        for (String filter : List.of("", "&role=Admin,Staff", "&role=Staff,User&status=pending,inactive",
                "&role=User&status=active")) {
            List<JsonNode> every = all("&sort=name" + filter, 50);
            List<String> ascending = every.stream().sorted(order).map(u -> u.get("id").asText()).toList();
            List<String> descending = new ArrayList<>(ascending);
            java.util.Collections.reverse(descending);
            for (int limit : new int[] {1, 2, 3, 50}) {
                assertEquals(ascending, all("&sort=role" + filter, limit).stream().map(u -> u.get("id").asText())
                        .toList(), filter + " at limit " + limit);
                assertEquals(descending, all("&sort=role,desc" + filter, limit).stream()
                        .map(u -> u.get("id").asText()).toList(), filter + " desc at limit " + limit);
            }
        }
        assertEquals(List.of("Admin", "Admin", "Staff", "Staff", "Staff"), all("&sort=role&role=Admin,Staff", 2)
                .stream().map(u -> u.get("role").asText()).toList());
    }

    @Test
    void aForgedRoleCursorIsABadRequest() {
        String forged = forged("role,asc", "Owner");
        ApiClient.Response response = admin.get("/api/v1/orgs/" + org + "/users?sort=role&role=Admin,Staff&cursor="
                + forged);
        assertEquals(400, response.status(), response.body());
        assertEquals("cursor", response.json().at("/errors/0/field").asText());
    }

    /** A cursor this API never returned: {@code key} after the zero id, in the sort {@code sort}. */
    static String forged(String sort, String key) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(("{\"s\":\"" + sort
                + "\",\"k\":\"" + key + "\",\"i\":\"00000000-0000-0000-0000-000000000000\"}")
                .getBytes(StandardCharsets.UTF_8));
    }

    static List<String> tags(JsonNode user) {
        List<String> tags = new ArrayList<>();
        user.get("tags").forEach(t -> tags.add(t.asText()));
        return tags;
    }

    /** The tags sort key is text (the tags joined): a forged key is a position like any name, but never a NUL. */
    @Test
    void aTagsCursorHoldingANulIsABadRequest() {
        String forged = forged("tags,asc", "vip\\u0000");
        ApiClient.Response response = admin.get("/api/v1/orgs/" + org + "/users?sort=tags&cursor=" + forged);
        assertEquals(400, response.status(), response.body());
        assertEquals("cursor", response.json().at("/errors/0/field").asText());
    }

    @Test
    void aForgedStatusCursorIsABadRequest() {
        String forged = forged("status,asc", "9");
        ApiClient.Response response = admin.get("/api/v1/orgs/" + org + "/users?sort=status&cursor=" + forged);
        assertEquals(400, response.status(), response.body());
        assertEquals("cursor", response.json().at("/errors/0/field").asText());
        assertTrue(response.body().contains("cursor"));
    }

    @Test
    void theFirstPageSaysHowManyTheFiltersMatch() {
        JsonNode first = admin.get("/api/v1/orgs/" + org + "/users?limit=3").json();
        assertEquals(10, first.get("total").asLong());
        JsonNode second = admin.get("/api/v1/orgs/" + org + "/users?limit=3&cursor="
                + URLEncoder.encode(first.get("nextCursor").asText(), StandardCharsets.UTF_8)).json();
        assertTrue(second.get("total").isNull(), "counted once, on the first page");
        assertEquals(3, admin.get("/api/v1/orgs/" + org + "/users?limit=1&status=inactive").json().get("total")
                .asLong());
        assertEquals(5, admin.get("/api/v1/orgs/" + org + "/users?limit=1&status=inactive,active&sort=status")
                .json().get("total").asLong());
        assertEquals(1, admin.get("/api/v1/orgs/" + org + "/users?limit=1&q=xen").json().get("total").asLong());
        assertEquals(0, admin.get("/api/v1/orgs/" + org + "/users?q=nobody").json().get("total").asLong());
    }

    @Test
    void eachItemNamesItsOrganization() {
        String sub = admin.post("/api/v1/orgs/" + org + "/sub-orgs", Map.of("name", "Branch office"), Map.of())
                .json().get("id").asText();
        ManagedTx tx = gateway.context().getBean(ManagedTx.class);
        tx.run(c -> {
            try (var ps = c.prepareStatement("INSERT INTO users (id, org_id, email, first_name, last_name, role) "
                    + "VALUES (?, ?, 'branch@userlist.example', 'Branch', 'Member', 'User')")) {
                ps.setObject(1, UUID.randomUUID());
                ps.setObject(2, UUID.fromString(sub));
                return ps.executeUpdate();
            }
        });
        String rootName = admin.get("/api/v1/orgs/" + org).json().get("name").asText();
        List<JsonNode> everyone = all("&includeSubOrgs=true&q=userlist.example", 4);
        for (JsonNode user : everyone) {
            String expected = user.get("orgId").asText().equals(sub) ? "Branch office" : rootName;
            assertEquals(expected, user.get("orgName").asText(), user.toString());
        }
        assertTrue(everyone.stream().anyMatch(u -> u.get("orgName").asText().equals("Branch office")));
        assertEquals(10, all("", 50).size(), "without includeSubOrgs the branch is not listed");
    }

    @Test
    void aSearchPagesItsMatchesInEverySortAndSaysWhenItsTotalIsALowerBound() {
        // few matches: paged among themselves, in the same order and with the same cursors as the list
        for (String sort : List.of("name", "name,desc", "email", "status", "status,desc", "lastLogin,desc",
                "tags", "tags,desc")) {
            List<JsonNode> searched = all("&q=userlist.example&sort=" + sort, 3);
            List<String> expected = all("&sort=" + sort, 50).stream().map(u -> u.get("email").asText())
                    .filter(e -> e.contains("userlist.example")).toList();
            assertEquals(expected, searched.stream().map(u -> u.get("email").asText()).toList(), sort);
        }
        JsonNode first = admin.get("/api/v1/orgs/" + org + "/users?q=xen").json();
        assertEquals(1, first.get("total").asLong());
        assertTrue(first.get("totalExact").asBoolean());
        // no match: the count arrives without a row
        JsonNode none = admin.get("/api/v1/orgs/" + org + "/users?q=nobody-has-this").json();
        assertEquals(0, none.get("total").asLong());
        assertTrue(none.get("totalExact").asBoolean());
        assertEquals(0, none.get("items").size());
        assertTrue(none.get("nextCursor").isNull());
        assertTrue(admin.get("/api/v1/orgs/" + org + "/users").json().get("totalExact").asBoolean());
    }

    /**
     * A term of one or two characters (no trigram: its SQL tests the name and the email each on its own) finds
     * exactly the users whose name and email, as one text, hold it: checked against that text read from the table.
     */
    @Test
    void aShortSearchFindsWhatTheNameAndTheEmailHold() {
        ManagedTx tx = gateway.context().getBean(ManagedTx.class);
        List<String[]> texts = tx.run(c -> {
            try (var ps = c.prepareStatement("SELECT sort_name, email FROM users WHERE org_id = ?")) {
                ps.setObject(1, UUID.fromString(org));
                try (var rs = ps.executeQuery()) {
                    List<String[]> rows = new ArrayList<>();
                    while (rs.next()) {
                        rows.add(new String[] {rs.getString(1), rs.getString(2)});
                    }
                    return rows;
                }
            }
        });
        for (String q : List.of("zo", "e@", "st", "@u", "xe", "a", "z", "qz", "_", "%", "\\", "t", "e.")) {
            List<String> expected = texts.stream().filter(t -> (t[0] + " " + t[1]).contains(q)).map(t -> t[1])
                    .sorted().toList();
            List<JsonNode> found = all("&sort=email&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8), 4);
            assertEquals(expected, found.stream().map(u -> u.get("email").asText()).sorted().toList(), "q=" + q);
            assertEquals(expected.size(), admin.get("/api/v1/orgs/" + org + "/users?limit=1&q="
                    + URLEncoder.encode(q, StandardCharsets.UTF_8)).json().get("total").asLong(), "total of q=" + q);
        }
        assertTrue(texts.stream().anyMatch(t -> t[0].contains("zo") && t[1].contains("zo")), "a term in both");
        assertTrue(texts.stream().anyMatch(t -> !t[0].contains("@u") && t[1].contains("@u")), "a term in the email");
    }

    @Test
    void aBroadSearchCountsUpToTheCapAndPagesByTheSortIndex() {
        String broad = "broad" + UUID.randomUUID().toString().substring(0, 6);
        UUID sub = UUID.fromString(admin.post("/api/v1/orgs/" + org + "/sub-orgs", Map.of("name", broad), Map.of())
                .json().get("id").asText());
        ManagedTx tx = gateway.context().getBean(ManagedTx.class);
        tx.run(c -> {
            try (var ps = c.prepareStatement("INSERT INTO users (id, org_id, email, first_name, last_name, role) "
                    + "SELECT gen_random_uuid(), ?, '" + broad + "' || g || '@broad.example', 'Many', g::text, "
                    + "'User' FROM generate_series(1, 10050) g")) {
                ps.setObject(1, sub);
                return ps.executeUpdate();
            }
        });
        JsonNode first = admin.get("/api/v1/orgs/" + sub + "/users?limit=100&sort=email&q=" + broad).json();
        assertEquals(10_000, first.get("total").asLong(), "at least this many");
        assertFalse(first.get("totalExact").asBoolean());
        assertEquals(100, first.get("items").size());
        JsonNode second = admin.get("/api/v1/orgs/" + sub + "/users?limit=100&sort=email&q=" + broad + "&cursor="
                + URLEncoder.encode(first.get("nextCursor").asText(), StandardCharsets.UTF_8)).json();
        String lastOfFirst = first.get("items").get(99).get("email").asText();
        assertTrue(second.get("items").get(0).get("email").asText().compareTo(lastOfFirst) > 0);
        assertEquals(10_050, admin.get("/api/v1/orgs/" + sub + "/users?limit=1").json().get("total").asLong(),
                "without a search the total is exact however large");
    }

    @Test
    void aShortSearchCountsUpToItsOwnCapAndPagesEveryMatchInOrder() {
        String prefix = "short" + UUID.randomUUID().toString().substring(0, 6); // hex: neither q nor j
        UUID sub = UUID.fromString(admin.post("/api/v1/orgs/" + org + "/sub-orgs", Map.of("name", prefix), Map.of())
                .json().get("id").asText());
        int many = UserListSql.SHORT_SEARCH_CAP + 50;
        ManagedTx tx = gateway.context().getBean(ManagedTx.class);
        tx.run(c -> {
            try (var ps = c.prepareStatement("INSERT INTO users (id, org_id, email, first_name, last_name, role) "
                    + "SELECT gen_random_uuid(), ?, '" + prefix + "' || g || 'qj@short.example', 'Many', g::text, "
                    + "'User' FROM generate_series(1, " + many + ") g")) {
                ps.setObject(1, sub);
                return ps.executeUpdate();
            }
        });
        // two characters: no trigram, counted up to the short cap ("at least"), then the sort's walk pages them
        JsonNode first = admin.get("/api/v1/orgs/" + sub + "/users?limit=100&q=qj").json();
        assertEquals(UserListSql.SHORT_SEARCH_CAP, first.get("total").asLong(), "at least this many");
        assertFalse(first.get("totalExact").asBoolean());
        assertEquals(100, first.get("items").size());
        for (String sort : List.of("email", "name,desc")) {
            List<JsonNode> every = all(sub.toString(), "&sort=" + sort + "&q=qj", 100);
            assertEquals(many, every.size(), "every match, sorted by " + sort);
            List<String> keys = every.stream().map(u -> sort.equals("email") ? u.get("email").asText()
                    : u.get("name").asText().toLowerCase(java.util.Locale.ROOT)).toList();
            assertEquals(many, keys.stream().distinct().count(), sort);
            List<String> ordered = new ArrayList<>(keys);
            ordered.sort(sort.equals("email") ? java.util.Comparator.naturalOrder()
                    : java.util.Comparator.reverseOrder());
            assertEquals(ordered, keys, "in " + sort + " order across pages");
        }
        // three characters have trigrams: the index finds them, and they are counted exactly past the short cap
        JsonNode longer = admin.get("/api/v1/orgs/" + sub + "/users?limit=1&q=qj%40").json();
        assertEquals(many, longer.get("total").asLong());
        assertTrue(longer.get("totalExact").asBoolean());
    }
}

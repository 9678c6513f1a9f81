package io.roster.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.roster.gateway.Gateway;
import io.roster.gateway.users.UserListQuery;
import io.roster.gateway.users.UserListSql;
import io.roster.gateway.users.UserQueries;
import io.roster.infra.EmbeddedPostgresServer;
import io.roster.infra.KraftBroker;
import io.roster.persistence.Database;
import io.roster.persistence.DbSettings;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.postgresql.PGConnection;

/**
 * The users list on one organization of 1,000,000 generated users (COPY into the real schema, then VACUUM ANALYZE):
 * every sort column both ways, without a filter, with a role filter and with a status filter, the first page and
 * a page halfway down the matching rows (from a cursor), 50 rows a page. Each combination is requested through the
 * HTTP API on loopback (the time includes the server's whole work and the loopback round trip), and the same SQL
 * is timed directly over JDBC as the raw baseline. Prints p50/p99 per combination, and the EXPLAIN of the slowest.
 */
final class ListBench {

    private static final String[] FIRST = {"ada", "alan", "grace", "edsger", "barbara", "donald", "ken", "dennis",
        "margaret", "john", "frances", "leslie", "tony", "niklaus", "radia", "bjarne"};
    private static final String[] LAST = {"lovelace", "turing", "hopper", "dijkstra", "liskov", "knuth", "thompson",
        "ritchie", "hamilton", "backus", "allen", "lamport", "hoare", "wirth", "perlman", "stroustrup"};
    private static final String[] CITIES = {"berlin", "paris", "london", "oslo", "lisbon", "tokyo", "austin", "lima"};

    private ListBench() {
    }

    static void run(Bench.Options options) throws Exception {
        int users = options.integer("users", 1_000_000);
        int reps = options.integer("reps", 50);
        boolean searchOnly = Boolean.parseBoolean(options.string("search-only", "false"));
        Path dir = Files.createTempDirectory("roster-bench-list-");
        try (KraftBroker broker = KraftBroker.start(dir.resolve("kafka"), 0, 4);
             EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dir.resolve("pg"), 0, false)) {
            try (Gateway gateway = Gateway.start(gatewayEnv(broker, postgres));
                 HikariDataSource pool = benchPool(postgres)) {
                HttpClient http = HttpClient.newHttpClient();
                BenchLogin login = BenchLogin.of(http, gateway.uri());
                String token = login.token();
                UUID org = UUID.fromString(login.orgId());
                System.err.printf("generating %,d users with COPY...%n", users);
                long copyStart = System.nanoTime();
                generate(pool, org, users);
                System.err.printf("  %,.0f rows/s%n", users / ((System.nanoTime() - copyStart) / 1e9));

                UserQueries queries = gateway.context().getBean(UserQueries.class);
                Table table = new Table("sort", "filter", "page", "raw SQL p50", "raw SQL p99", "API p50", "API p99");
                double worst = 0;
                UserListSql worstSql = null;
                String worstName = null;
                for (UserListQuery.Column column : searchOnly ? new UserListQuery.Column[0]
                        : UserListQuery.Column.values()) {
                    for (String direction : List.of("asc", "desc")) {
                        for (String[] filter : List.of(new String[] {"none", null, null},
                                new String[] {"role=Admin,Staff", "Admin,Staff", null},
                                new String[] {"status=active", null, "active"})) {
                            UserListQuery query = UserListQuery.parse(column.name() + "," + direction, filter[1],
                                    filter[2], null, null, false, 50);
                            String[] deep = rowAt(pool, org, query);
                            for (boolean deepPage : List.of(false, true)) {
                                UserListSql sql = UserListSql.build(org, query, deepPage ? deep[0] : null,
                                        deepPage ? UUID.fromString(deep[1]) : null);
                                double[] raw = percentiles(timeSql(pool, sql, reps));
                                String url = "/api/v1/orgs/" + org + "/users?limit=50&sort=" + column.name() + ","
                                        + direction + (filter[1] != null ? "&role=" + filter[1] : "")
                                        + (filter[2] != null ? "&status=" + filter[2] : "")
                                        + (deepPage ? "&cursor=" + URLEncoder.encode(queries.cursorFor(query, deep[0],
                                        UUID.fromString(deep[1])), StandardCharsets.UTF_8) : "");
                                double[] api = percentiles(timeApi(http, gateway.uri(), url, token, reps));
                                table.row(column.name() + " " + direction, filter[0], deepPage ? "halfway" : "first",
                                        Table.millis(raw[0]), Table.millis(raw[1]), Table.millis(api[0]),
                                        Table.millis(api[1]));
                                if (api[1] > worst) {
                                    worst = api[1];
                                    worstSql = sql;
                                    worstName = column.name() + " " + direction + ", " + filter[0] + ", "
                                            + (deepPage ? "deep" : "first");
                                }
                            }
                        }
                    }
                }
                // search: a part of a name or an email, anywhere in it; the first page with its total
                Table search = new Table("q", "matching", "raw SQL p50", "raw SQL p99", "API p50", "API p99");
                double worstSearch = 0;
                // two letters have no trigram: "ov" is common (the sort's walk meets its matches soon), "qz" rare (no
                // index finds it: its count reads every row)
                for (String q : List.of("lovelace12345", "ritchie9", "dijkstra", "grace.hopper", "@bench", "ov",
                        "qz")) {
                    UserListQuery query = UserListQuery.parse("name,asc", null, null, null, q, false, 50);
                    UserListSql count = UserListSql.count(org, query);
                    long matching;
                    try (Connection c = pool.getConnection(); PreparedStatement ps = count.prepare(c, "");
                         ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        matching = rs.getLong(1);
                    }
                    // the gateway's path: the matches read once up to the cap, counted and paged among themselves;
                    // more than the cap, and the page walks the sort's index
                    List<UserListSql> statements = matching <= UserListSql.cap(query)
                            ? List.of(UserListSql.candidates(org, query, null, null))
                            : List.of(UserListSql.candidates(org, query, null, null),
                                    UserListSql.build(org, query, null, null));
                    double[] raw = percentiles(timeSql(pool, statements, reps, true));
                    double[] api = percentiles(timeApi(http, gateway.uri(), "/api/v1/orgs/" + org
                            + "/users?limit=50&sort=name&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8), token,
                            reps));
                    worstSearch = Math.max(worstSearch, api[1]);
                    search.row(q, String.format("%,d", matching), Table.millis(raw[0]), Table.millis(raw[1]),
                            Table.millis(api[0]), Table.millis(api[1]));
                }
                System.out.printf("%nUsers list, one organization of %,d users, 50 rows a page, %d requests each "
                        + "(a first page's API time includes its total: the count of every matching user)%n%n",
                        users, reps);
                if (!searchOnly) {
                    table.print();
                }
                System.out.printf("%nSearch (q), sorted by name, first page with its total, %d requests each; raw SQL "
                        + "is the gateway's statements (the matches read once up to %,d, %,d for a term of one or two "
                        + "characters, counted and paged; more than that, and the page walks the sort's index)%n%n",
                        reps, UserListSql.SEARCH_CAP, UserListSql.SHORT_SEARCH_CAP);
                search.print();
                System.out.printf("%nTarget: search API p99 under 100 ms; slowest p99 %.1f ms%n", worstSearch);
                if (worstSql != null) {
                    System.out.printf("%nTarget: API p99 under 50 ms for each. Slowest: %s (p99 %.1f ms). Its plan:%n%n",
                            worstName, worst);
                    try (Connection c = pool.getConnection();
                         PreparedStatement ps = worstSql.prepare(c, "EXPLAIN (ANALYZE, BUFFERS) ");
                         ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            System.out.println("    " + rs.getString(1));
                        }
                    }
                }
            }
        }
    }

    /** A gateway alone on this broker and database, with the benchmarks' admin and no request rate limit. */
    static Map<String, String> gatewayEnv(KraftBroker broker, EmbeddedPostgresServer postgres) {
        return Map.of("ROSTER_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                "ROSTER_DB_URL", postgres.jdbcUrl("postgres"), "ROSTER_DB_USER", "postgres", "ROSTER_DB_PASSWORD", "",
                "ROSTER_HTTP_PORT", "0", "ROSTER_ADMIN_EMAIL", BenchLogin.EMAIL,
                "ROSTER_ADMIN_PASSWORD", BenchLogin.PASSWORD, "ROSTER_ORG_REQUESTS_PER_SECOND", "1000000");
    }

    /** A small pool of the benchmark's own on Roster's schema. */
    static HikariDataSource benchPool(EmbeddedPostgresServer postgres) {
        return Database.pool(new DbSettings(postgres.jdbcUrl("postgres"), "postgres", "", "roster", 4), "bench");
    }

    static void generate(HikariDataSource pool, UUID org, int users) throws Exception {
        Random random = new Random(42);
        try (Connection c = pool.getConnection()) {
            var copy = c.unwrap(PGConnection.class).getCopyAPI();
            int batch = 50_000;
            for (int start = 0; start < users; start += batch) {
                StringBuilder rows = new StringBuilder(batch * 200);
                StringBuilder tags = new StringBuilder(batch * 80);
                for (int i = start; i < Math.min(users, start + batch); i++) {
                    String first = FIRST[random.nextInt(FIRST.length)];
                    String last = LAST[random.nextInt(LAST.length)];
                    String role = random.nextInt(100) < 2 ? "Admin" : random.nextInt(100) < 20 ? "Staff" : "User";
                    String location = random.nextInt(10) == 0 ? "\\N" : CITIES[random.nextInt(CITIES.length)];
                    int s = random.nextInt(10);
                    String status = s < 2 ? "pending" : s < 8 ? "active" : "inactive";
                    String login = status.equals("pending") ? "\\N"
                            : Instant.parse("2026-01-01T00:00:00Z").plusSeconds(random.nextInt(30_000_000)).toString();
                    UUID id = UUID.randomUUID();
                    rows.append(id).append('\t').append(org).append('\t')
                            .append(first).append('.').append(last).append(i).append("@bench.example").append('\t')
                            .append(first).append('\t').append(last).append('\t').append(role).append('\t')
                            .append(location).append('\t').append(status).append('\t').append(login).append('\n');
                    // the user's tags row (V24), written before the user as an import writes it
                    tags.append(id).append('\t').append(org).append('\t').append(status).append('\t')
                            .append(i % 7 == 0 ? "{vip}" : i % 11 == 0 ? "{beta,vip}" : i % 13 == 0 ? "{beta}" : "{}")
                            .append("\t2026-01-01T00:00:00Z\n");
                }
                copy.copyIn("COPY user_tags (user_id, org_id, status, tags, updated_at) FROM STDIN",
                        new StringReader(tags.toString()));
                copy.copyIn("COPY users (id, org_id, email, first_name, last_name, role, location, status, "
                        + "last_login_at) FROM STDIN", new StringReader(rows.toString()));
            }
            try (Statement s = c.createStatement()) {
                // settled before anything is timed: the rows' hint bits and the visibility map set, the statistics
                // taken. Otherwise autovacuum works through the fresh million rows while the first cases are timed,
                // and the first reads of each page write its hint bits (both steal time from the measurements)
                s.execute("VACUUM ANALYZE users, user_tags");
            }
        }
    }

    /** The sort key and id of the row halfway down the query's results: where the deep page starts. */
    private static String[] rowAt(HikariDataSource pool, UUID org, UserListQuery query) throws Exception {
        String where = "u.org_id = ?" + (query.roles().isEmpty() ? "" : " AND u.role = ANY (?)")
                + (query.statuses().isEmpty() ? "" : " AND u.status = ANY (?)");
        String direction = query.descending() ? "DESC" : "ASC";
        String key = query.sort().key(); // status: its lifecycle rank, the key of its cursors
        try (Connection c = pool.getConnection()) {
            long matching;
            try (PreparedStatement ps = bind(c, "SELECT count(*) FROM users u WHERE " + where, org, query);
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                matching = rs.getLong(1);
            }
            try (PreparedStatement ps = bind(c, "SELECT " + key + "::text, u.id FROM users u JOIN user_tags t "
                    + "ON t.user_id = u.id WHERE " + where + " ORDER BY " + key + " " + direction + ", u.id " + direction
                    + " OFFSET " + matching / 2 + " LIMIT 1", org, query);
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new String[] {rs.getString(1), rs.getString(2)};
            }
        }
    }

    private static PreparedStatement bind(Connection c, String sql, UUID org, UserListQuery query) throws Exception {
        PreparedStatement ps = c.prepareStatement(sql);
        int i = 1;
        ps.setObject(i++, org);
        if (!query.roles().isEmpty()) {
            ps.setArray(i++, c.createArrayOf("text", query.roles().stream().map(Enum::name).toArray()));
        }
        if (!query.statuses().isEmpty()) {
            ps.setArray(i, c.createArrayOf("text", query.statuses().stream().map(Enum::name).toArray()));
        }
        return ps;
    }

    private static double[] timeSql(HikariDataSource pool, UserListSql sql, int reps) throws Exception {
        return timeSql(pool, List.of(sql), reps, false);
    }

    /**
     * The statements one after the other on one connection, {@code reps} times (after 5 unmeasured). A search is
     * planned for each text, as the gateway plans it ({@code UserQueries}: {@code plan_cache_mode =
     * force_custom_plan}), not by the generic plan PostgreSQL may cache for a statement run five times.
     */
    private static double[] timeSql(HikariDataSource pool, List<UserListSql> statements, int reps, boolean search)
            throws Exception {
        double[] times = new double[reps];
        try (Connection c = pool.getConnection(); Statement session = c.createStatement()) {
            session.execute(search ? "SET plan_cache_mode = force_custom_plan" : "RESET plan_cache_mode");
            for (int i = -5; i < reps; i++) {
                long start = System.nanoTime();
                for (UserListSql sql : statements) {
                    try (PreparedStatement ps = sql.prepare(c, ""); ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            rs.getString(1);
                        }
                    }
                }
                if (i >= 0) {
                    times[i] = (System.nanoTime() - start) / 1e6;
                }
            }
        }
        return times;
    }

    static double[] timeApi(HttpClient http, URI base, String path, String token, int reps) throws Exception {
        double[] times = new double[reps];
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token)
                .GET().build();
        for (int i = -5; i < reps; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
            }
            if (i >= 0) {
                times[i] = (System.nanoTime() - start) / 1e6;
            }
        }
        return times;
    }

    /** {p50, p99} */
    static double[] percentiles(double[] times) {
        double[] sorted = times.clone();
        Arrays.sort(sorted);
        return new double[] {sorted[(int) Math.floor(0.50 * (sorted.length - 1))],
            sorted[(int) Math.ceil(0.99 * (sorted.length - 1))]};
    }


}

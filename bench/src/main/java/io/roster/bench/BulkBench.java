package io.roster.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.roster.contracts.Topics;
import io.roster.contracts.csv.CsvCells;
import io.roster.persistence.Database;
import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Bulk jobs on a large organization through the HTTP API, on the local stack of {@link BenchStack}, each beside
 * the raw PostgreSQL operation measured in the same run on a copy of the same users (its own schema, the same
 * migrations and indexes), and for tag and delete also on the same users in the {@link MinimalTable}: export (a JDBC
 * cursor into CSV) for a tenth of the users and for all of them, tag (UPDATE by lists of a thousand ids) and delete
 * (DELETE by lists of a thousand ids). Ours is timed from the
 * request to the job's end and, for tag and delete, its last change event on Kafka; for export, to the last byte of
 * the file downloaded from the gateway. The users are made with one INSERT ... SELECT on both sides (not measured).
 */
final class BulkBench {

    private static final int BATCH = 1000;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private BulkBench() {
    }

    static void run(Bench.Options options) throws Exception {
        int users = options.integer("users", 1_000_000);
        java.util.Set<String> only = java.util.Set.of(options.string("jobs", "export,tag,delete").split(","));
        Path dir = Files.createTempDirectory("roster-bench-bulk-");
        Table table = new Table("job", "users", "raw, our table", "raw, minimal table", "ours, end to end",
                "ratio to our table", "ratio to minimal", "target", "peak heap gateway", "peak heap workers");
        Table cpu = CpuSplit.table("job");
        // a job over everyone holds the users and their admin
        try (BenchStack stack = BenchStack.start(dir, options, java.util.Map.of("ROSTER_MAX_ROWS_PER_JOB",
                Integer.toString(users + 1)));
             HikariDataSource baseline = Database.pool(stack.db("baseline", 2), "baseline")) {
            Database.migrate(baseline, "baseline");
            UUID org = UUID.fromString(stack.login.orgId());
            UUID baselineOrg = UUID.randomUUID();
            try (Connection c = baseline.getConnection(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO organizations (id, name, path, depth) VALUES ('" + baselineOrg
                        + "', 'baseline', ARRAY['" + baselineOrg + "'::uuid], 1)");
            }
            try (Connection c = baseline.getConnection(); Statement s = c.createStatement()) {
                MinimalTable.create(s, "users_minimal");
            }
            long start = System.nanoTime();
            populate(baseline, "users_minimal", baselineOrg, users);
            populate(baseline, "users", baselineOrg, users);
            populate(stack.roster, "users", org, users);
            System.err.printf("  %,d users made on each side in %.0f s%n", users, (System.nanoTime() - start) / 1e9);
            int staff = count(stack.roster, "SELECT count(*) FROM users WHERE org_id = '" + org + "' AND role = 'Staff'");
            String jobs = "/api/v1/orgs/" + org + "/jobs/";
            Topics topics = new Topics("roster.");

            // export: a tenth (the Staff), then everyone: heap must not grow with the file. First, unmeasured, an
            // export of the admins (a fiftieth): the JIT's first work on the export and download paths is not
            // what a service that runs all day spends on an export
            if (only.contains("export")) {
                String warmup = stack.submit(jobs + "export", "{\"filter\": {\"role\": [\"Admin\"]}}");
                stack.awaitFinished(warmup);
                try (var in = stack.http.send(stack.request(warmup + "/result").build(),
                        HttpResponse.BodyHandlers.ofInputStream()).body()) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
            }
            // each side is run three times, alternating, and its best run counts: a single run of a few seconds
            // varied by half between runs on this machine
            int runs = options.integer("export-runs", 3);
            for (String role : only.contains("export") ? List.of("Staff", "") : List.<String>of()) {
                String where = role.isEmpty() ? "" : " AND u.role = '" + role + "'";
                int rows = role.isEmpty() ? users + 1 : staff;
                double raw = 0;
                double ours = 0;
                stack.resetPeaks();
                for (int run = 0; run < runs; run++) {
                    raw = Math.max(raw, rows / seconds(() -> rawExport(baseline, baselineOrg, where)));
                    long t0 = System.nanoTime();
                    String job = stack.submit(jobs + "export", role.isEmpty() ? "{\"filter\": {}}"
                            : "{\"filter\": {\"role\": [\"" + role + "\"]}}");
                    stack.awaitFinished(job);
                    double finished = (System.nanoTime() - t0) / 1e9;
                    HttpResponse<java.io.InputStream> file = stack.http.send(stack.request(job + "/result").build(),
                            HttpResponse.BodyHandlers.ofInputStream());
                    long bytes;
                    try (var in = file.body()) {
                        bytes = in.transferTo(OutputStream.nullOutputStream());
                    }
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    ours = Math.max(ours, rows / seconds);
                    System.err.printf("  export of %,d users: %,d bytes; job finished after %.1f s, downloaded after "
                            + "%.1f s%n", rows, bytes, finished, seconds);
                }
                String[] peaks = stack.peaks();
                stack.statements("export");
                table.row("export (" + (role.isEmpty() ? "everyone" : role) + ")", String.format("%,d", rows),
                        Table.rate(raw), "", Table.rate(ours), Table.ratio(ours / raw), "", "0.70x of our table",
                        peaks[0], peaks[1]);
            }

            if (only.contains("tag") || only.contains("delete")) {
                warmUp(stack, org, topics, options.integer("warmup", 20_000));
            }
            Raw raw = new Raw(baseline, ids(baseline, "users", baselineOrg), ids(baseline, "users_minimal", baselineOrg));
            if (only.contains("tag")) {
                tag(stack, raw, table, cpu, topics, jobs, users);
            }
            if (only.contains("delete")) {
                delete(stack, raw, table, cpu, topics, jobs, users);
            }
        }
        System.out.printf("%nBulk jobs on one organization through the HTTP API, the local stack on this machine%n%n");
        table.print();
        System.out.printf("%nOurs: request to job end (+ last change event on Kafka for tag and delete; + the file "
                + "downloaded for export). Raw: the bare PostgreSQL operation on a copy of the same users, in a table like ours "
                + "(the same migrations, indexes and triggers) and in the minimal table (the same columns, a primary "
                + "key and the unique email index only).%n");
        if (!cpu.isEmpty()) {
            System.out.printf("%nWhere the CPU went during tag and delete (request to last event), µs a user%n%n");
            cpu.print();
            System.out.printf("%n%s%n", CpuSplit.NOTE);
        }
    }

    /**
     * Unmeasured, as the export's warm-up and the import benchmark's: a tag and a delete of {@code users} users of a
     * sub-organization of their own. A fresh JVM's first tag and delete otherwise spend their time compiling (at
     * 200,000 users, the JIT's threads took 6 of the workers' 9.5 CPU seconds of a delete), which a service that runs
     * all day does once.
     */
    private static void warmUp(BenchStack stack, UUID org, Topics topics, int users) throws Exception {
        if (users <= 0) {
            return;
        }
        HttpResponse<String> created = stack.http.send(stack.request("/api/v1/orgs/" + org + "/sub-orgs")
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\": \"warm-up\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("creating the warm-up organization answered " + created.statusCode()
                    + ": " + created.body());
        }
        String location = created.headers().firstValue("Location").orElseThrow();
        UUID sub = UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
        populate(stack.roster, "users", sub, users);
        String jobs = "/api/v1/orgs/" + sub + "/jobs/";
        long before = stack.records(topics.userChanges());
        // every user of the sub-organization changes twice, but for its last admin, whom the delete keeps
        long changed = succeeded(stack.awaitFinished(stack.submit(jobs + "tag",
                "{\"filter\": {}, \"tag\": \"warm-up\", \"create\": true}")))
                + succeeded(stack.awaitFinished(stack.submit(jobs + "delete", "{\"filter\": {}, \"confirm\": \"DELETE\"}")));
        ImportBench.awaitEvents(stack, topics.userChanges(), before + changed);
        System.err.printf("  warm-up: %,d users of a sub-organization tagged and deleted%n", users);
    }

    /**
     * Unmeasured: vacuums the tables that the measured steps write, on both sides, so that no step pays for the dead
     * rows of the one before (a million-row UPDATE or DELETE on one side otherwise has autovacuum at work while the
     * other side is measured).
     */
    private static void settle(BenchStack stack, Raw raw) throws Exception {
        try (Connection c = raw.pool().getConnection(); Statement s = c.createStatement()) {
            s.execute("VACUUM users, user_tags, users_minimal");
        }
        try (Connection c = stack.roster.getConnection(); Statement s = c.createStatement()) {
            s.execute("VACUUM users, user_tags, activity, outbox");
        }
    }

    /** The job's count of rows that succeeded, from its JSON. */
    private static long succeeded(String job) throws Exception {
        return JSON.readTree(job).required("succeeded").asLong();
    }

    /** Tags everyone. */
    private static void tag(BenchStack stack, Raw raw, Table table, Table cpu, Topics topics, String jobs,
                            int users)
            throws Exception {
        // Roster keeps a user's tags in their tags row (V24); the minimal table keeps them in the user's row
        String update = "UPDATE %s SET tags = array_append(tags, 'bench'), updated_at = now() WHERE %s = ANY (?)";
        settle(stack, raw);
        double rawTag = raw.own().size() / seconds(() -> byIdLists(raw.pool(), raw.own(),
                update.formatted("user_tags", "user_id")));
        settle(stack, raw);
        double minimalTag = raw.minimal().size() / seconds(() -> byIdLists(raw.pool(), raw.minimal(),
                update.formatted("users_minimal", "id")));
        settle(stack, raw);
        stack.resetPeaks();
        long before = stack.records(topics.userChanges());
        CpuSplit.Sample cpuBefore = CpuSplit.take(stack);
        long t0 = System.nanoTime();
        String tag = stack.submit(jobs + "tag", "{\"filter\": {}, \"tag\": \"bench\", \"create\": true}");
        stack.awaitFinished(tag);
        ImportBench.awaitEvents(stack, topics.userChanges(), before + users + 1);
        double oursTag = (users + 1) / ((System.nanoTime() - t0) / 1e9);
        CpuSplit.row(cpu, "tag (everyone)", CpuSplit.between(cpuBefore, CpuSplit.take(stack)), users + 1);
        String[] peaks = stack.peaks();
        table.row("tag (everyone)", String.format("%,d", users + 1), Table.rate(rawTag), Table.rate(minimalTag),
                Table.rate(oursTag), Table.ratio(oursTag / rawTag), Table.ratio(oursTag / minimalTag),
                "0.25x of minimal", peaks[0], peaks[1]);
        int stageRows = Math.min(raw.own().size(), 100_000);
        Table stages = new WriteStages(raw.pool(), stack.broker.bootstrapServers()).tag(raw.own(), stageRows);
        System.out.printf("%nWhat tagging a user costs, stage by stage (the workers' code on one thread, chunks of "
                + "1,000, %,d users of the raw side's table)%n%n", stageRows);
        stages.print();
    }

    /** Deletes everyone (the caller is refused and stays). */
    private static void delete(BenchStack stack, Raw raw, Table table, Table cpu, Topics topics, String jobs,
                               int users)
            throws Exception {
        settle(stack, raw);
        double rawDelete = raw.own().size() / seconds(() -> byIdLists(raw.pool(), raw.own(),
                "DELETE FROM users WHERE id = ANY (?)"));
        settle(stack, raw);
        double minimalDelete = raw.minimal().size() / seconds(() -> byIdLists(raw.pool(), raw.minimal(),
                "DELETE FROM users_minimal WHERE id = ANY (?)"));
        settle(stack, raw);
        stack.statements("before delete");
        stack.resetPeaks();
        long before = stack.records(topics.userChanges());
        CpuSplit.Sample cpuBefore = CpuSplit.take(stack);
        long t0 = System.nanoTime();
        String delete = stack.submit(jobs + "delete", "{\"filter\": {}, \"confirm\": \"DELETE\"}");
        double accepted = (System.nanoTime() - t0) / 1e9;
        stack.awaitFinished(delete);
        double finished = (System.nanoTime() - t0) / 1e9;
        ImportBench.awaitEvents(stack, topics.userChanges(), before + users);
        CpuSplit.row(cpu, "delete (everyone)", CpuSplit.between(cpuBefore, CpuSplit.take(stack)), users);
        stack.statements("delete");
        System.err.printf("  delete: accepted after %.1f s, job finished after %.1f s, last event after %.1f s%n",
                accepted, finished, (System.nanoTime() - t0) / 1e9);
        double oursDelete = users / ((System.nanoTime() - t0) / 1e9);
        String[] peaks = stack.peaks();
        table.row("delete (everyone)", String.format("%,d", users), Table.rate(rawDelete), Table.rate(minimalDelete),
                Table.rate(oursDelete), Table.ratio(oursDelete / rawDelete), Table.ratio(oursDelete / minimalDelete),
                "0.25x of minimal", peaks[0], peaks[1]);
    }

    /** The raw side: the baseline schema, and the ids of the users of its users table and of its minimal one. */
    private record Raw(HikariDataSource pool, List<UUID> own, List<UUID> minimal) {
    }

    /** {@code users} users in {@code org} in {@code table}: a tenth Staff, one in fifty Admin, the rest User; pending. */
    private static void populate(HikariDataSource pool, String table, UUID org, int users) throws Exception {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            // untagged: Roster's users get their tags rows from the insert trigger (V24)
            s.execute("INSERT INTO " + table + " (id, org_id, email, first_name, last_name, role, location, status, "
                    + "invited_at) SELECT gen_random_uuid(), '" + org + "', 'u' || g || '-" + org.toString().substring(0, 8)
                    + "@bulk.example', 'First' || g, 'Last' || g, CASE WHEN g % 10 = 0 THEN 'Staff' WHEN g % 50 = 1 "
                    + "THEN 'Admin' ELSE 'User' END, 'Berlin', 'pending', now() FROM generate_series(1, " + users
                    + ") g");
            s.execute("VACUUM ANALYZE " + table);
        }
    }

    private static List<UUID> ids(HikariDataSource pool, String table, UUID org) throws Exception {
        List<UUID> ids = new ArrayList<>();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM " + table + " WHERE org_id = '" + org + "'")) {
            while (rs.next()) {
                ids.add(rs.getObject(1, UUID.class));
            }
        }
        return ids;
    }

    /** The raw export: a cursor a thousand rows at a time, every column, through the same CSV printer. */
    private static void rawExport(HikariDataSource pool, UUID org, String where) throws Exception {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("SELECT u.first_name, u.last_name, u.email, u.role, "
                    + "u.location, u.status, u.last_login_at, t.tags FROM users u JOIN user_tags t ON t.user_id = u.id "
                    + "WHERE u.org_id = ?" + where + " ORDER BY u.sort_name, u.id")) {
                ps.setObject(1, org);
                ps.setFetchSize(BATCH);
                try (ResultSet rs = ps.executeQuery(); CSVPrinter csv = new CSVPrinter(new BufferedWriter(
                        new OutputStreamWriter(OutputStream.nullOutputStream(), StandardCharsets.UTF_8), 64 * 1024),
                        CSVFormat.RFC4180.builder().setHeader("name", "email", "role", "location", "status",
                                "lastLogin", "tags").get())) {
                    while (rs.next()) {
                        Timestamp login = rs.getTimestamp(7);
                        csv.printRecord(CsvCells.neutralise(rs.getString(1) + " " + rs.getString(2)),
                                CsvCells.neutralise(rs.getString(3)), rs.getString(4),
                                CsvCells.neutralise(rs.getString(5)), rs.getString(6),
                                login == null ? null : login.toInstant().toString(),
                                String.join(";", (String[]) rs.getArray(8).getArray()));
                    }
                }
            }
            c.commit();
        }
    }

    /** Runs {@code sql} (one {@code uuid[]} parameter) over the ids a thousand at a time, each its own commit. */
    private static void byIdLists(HikariDataSource pool, List<UUID> ids, String sql) throws Exception {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < ids.size(); i += BATCH) {
                ps.setArray(1, c.createArrayOf("uuid", ids.subList(i, Math.min(ids.size(), i + BATCH)).toArray()));
                ps.executeUpdate();
            }
        }
    }

    private static int count(HikariDataSource pool, String sql) throws Exception {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @FunctionalInterface
    private interface Work {
        void run() throws Exception;
    }

    private static double seconds(Work work) throws Exception {
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1e9;
    }
}

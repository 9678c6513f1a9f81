package io.roster.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roster.contracts.user.Role;
import io.roster.persistence.Tx;
import io.roster.testsupport.TestDatabase;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The per-organization counts of users by role and status (the users list's totals) stay equal to the users table
 * through every kind of write: single and multi-row inserts, COPY, status and role changes, transfers between
 * organizations, deletes, rolled-back statements, and writes from several connections at once.
 */
class UserCountsIT {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase("counts");

    /** org|role|status to n, from the counters and from the users table. */
    static Map<String, Long> counted(String from) {
        return Tx.run(DB.pool(), c -> {
            Map<String, Long> out = new TreeMap<>();
            String sql = from.equals("counters")
                    ? "SELECT org_id, role, status, sum(n) FROM user_counts GROUP BY 1, 2, 3 HAVING sum(n) <> 0"
                    : "SELECT org_id, role, status, count(*) FROM users GROUP BY 1, 2, 3";
            try (var ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3), rs.getLong(4));
                }
            }
            return out;
        });
    }

    static void sql(String statement, Object... args) {
        Tx.run(DB.pool(), c -> {
            try (var ps = c.prepareStatement(statement)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                return ps.executeUpdate();
            }
        });
    }

    static void assertCountsMatch(String after) {
        assertEquals(counted("users"), counted("counters"), after);
    }

    @Test
    void countsFollowEveryKindOfWrite() throws Exception {
        UUID a = Fixtures.org(DB.pool());
        UUID b = Fixtures.org(DB.pool());
        for (int i = 0; i < 5; i++) {
            Fixtures.user(DB.pool(), i % 2 == 0 ? Role.User : Role.Staff, a);
        }
        assertCountsMatch("single inserts");
        sql("INSERT INTO users (id, org_id, email, first_name, last_name, role, status) SELECT gen_random_uuid(), ?, "
                + "'bulk' || g || '@counts.example', 'Bulk', g::text, CASE WHEN g % 3 = 0 THEN 'Admin' ELSE 'User' END, "
                + "CASE WHEN g % 2 = 0 THEN 'active' ELSE 'pending' END FROM generate_series(1, 500) g", a);
        assertCountsMatch("one statement of 500 rows");
        Tx.run(DB.pool(), c -> {
            var copy = c.unwrap(org.postgresql.PGConnection.class).getCopyAPI();
            StringBuilder rows = new StringBuilder();
            for (int i = 0; i < 300; i++) {
                rows.append(UUID.randomUUID()).append('\t').append(b).append("\tcopy").append(i)
                        .append("@counts.example\tCopy\tRow\tStaff\tinactive\n");
            }
            try {
                copy.copyIn("COPY users (id, org_id, email, first_name, last_name, role, status) FROM STDIN",
                        new java.io.StringReader(rows.toString()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return null;
        });
        assertCountsMatch("COPY");

        sql("UPDATE users SET status = 'inactive' WHERE org_id = ? AND status = 'active'", a);
        assertCountsMatch("status changes");
        sql("UPDATE users SET role = 'Staff' WHERE org_id = ? AND email LIKE 'bulk1%'", a);
        assertCountsMatch("role changes");
        sql("UPDATE users SET first_name = 'x', last_login_at = now() WHERE org_id = ?", a);
        assertCountsMatch("changes that move nobody between groups");
        sql("UPDATE users SET org_id = ?, role = 'User' WHERE org_id = ? AND email LIKE 'bulk2%'", b, a);
        assertCountsMatch("a transfer");
        sql("DELETE FROM users WHERE org_id = ? AND email LIKE 'copy1%'", b);
        assertCountsMatch("deletes");
        try {
            Tx.run(DB.pool(), c -> {
                try (var ps = c.prepareStatement("DELETE FROM users WHERE org_id = ?")) {
                    ps.setObject(1, a);
                    ps.executeUpdate();
                }
                throw new IllegalStateException("rolled back");
            });
        } catch (IllegalStateException expected) {
            // the delete and its counts went together
        }
        assertCountsMatch("a rolled-back delete");

        List<Thread> writers = new java.util.ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 25; i++) {
                    sql("INSERT INTO users (id, org_id, email, first_name, last_name, role, status) SELECT "
                            + "gen_random_uuid(), ?, 'w" + writer + "-" + i + "-' || g || '@counts.example', 'W', 'X', "
                            + "'User', 'pending' FROM generate_series(1, 4) g", a);
                    sql("UPDATE users SET status = 'active' WHERE email LIKE 'w" + writer + "-" + i + "-1@%'");
                }
            });
            thread.start();
            writers.add(thread);
        }
        for (Thread t : writers) {
            t.join();
        }
        assertCountsMatch("four connections writing at once");
    }
}

package io.roster.workers.invite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roster.persistence.Database;
import io.roster.testsupport.Sql;
import io.roster.testsupport.TestEnv;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The invitation migrations over a real PostgreSQL, each from a schema one version older holding data.
 * V12: the open invitations move onto their user rows (the newest of each user; an older open one counts as
 * replaced); used and revoked ones stay where they were. V13: each user's invitation entry leaves the activity table
 * for the user row, and the log (user_activity) reads the same as before.
 */
class InvitationMigrationsIT {

    @Test
    void openInvitationsMoveOntoTheUserRowsAndClosedOnesStay() throws Exception {
        TestEnv env = TestEnv.create("v12");
        String schema = env.name() + "_v11";
        try (var pool = Database.pool(env.db(), "v12")) {
            flyway(pool, schema).target("11").load().migrate();
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("SET search_path TO " + schema);
                s.execute("INSERT INTO organizations (id, name, path, depth) VALUES "
                        + "('00000000-0000-0000-0000-000000000001', 'O', ARRAY['00000000-0000-0000-0000-000000000001'"
                        + "::uuid], 1)");
                for (String user : new String[] {"a", "b", "c"}) {
                    s.execute("INSERT INTO users (id, org_id, email, first_name, last_name, role) VALUES ('"
                            + uuid(user) + "', '00000000-0000-0000-0000-000000000001', '" + user
                            + "@x.example', 'F', 'L', 'User')");
                }
                // a: one open invitation; b: an older and a newer open one, and a used one; c: a revoked one only
                s.execute("INSERT INTO invitations (token_hash, user_id, created_at, expires_at, used_at, revoked_at) "
                        + "VALUES ('\\x0a', '" + uuid("a") + "', now() - interval '2 days', now() + interval '28 days', "
                        + "null, null), ('\\x0b01', '" + uuid("b") + "', now() - interval '3 days', now() + interval "
                        + "'27 days', null, null), ('\\x0b02', '" + uuid("b") + "', now() - interval '1 day', now() + "
                        + "interval '29 days', null, null), ('\\x0b00', '" + uuid("b") + "', now() - interval '5 days', "
                        + "now() + interval '25 days', now() - interval '4 days', null), ('\\x0c', '" + uuid("c")
                        + "', now() - interval '2 days', now() + interval '28 days', null, now())");
            }
            flyway(pool, schema).load().migrate();
            String users = schema + ".users";
            String invitations = schema + ".invitations";
            assertEquals(1, Sql.count(pool, "SELECT count(*) FROM " + users + " WHERE id = '" + uuid("a")
                    + "' AND invite_token_hash = '\\x0a' AND invite_expires_at > now() + interval '27 days' "
                    + "AND invite_sent_at < now() - interval '1 day'"));
            assertEquals(1, Sql.count(pool, "SELECT count(*) FROM " + users + " WHERE id = '" + uuid("b")
                    + "' AND invite_token_hash = '\\x0b02'"), "the newest open invitation");
            assertEquals(1, Sql.count(pool, "SELECT count(*) FROM " + users + " WHERE id = '" + uuid("c")
                    + "' AND invite_token_hash IS NULL"));
            assertEquals(0, Sql.count(pool, "SELECT count(*) FROM " + invitations + " WHERE token_hash IN "
                    + "('\\x0a', '\\x0b02')"), "open invitations are on the user rows only");
            assertEquals(1, Sql.count(pool, "SELECT count(*) FROM " + invitations + " WHERE token_hash = '\\x0b01' "
                    + "AND revoked_at IS NOT NULL AND used_at IS NULL"), "the older one was replaced");
            assertEquals(1, Sql.count(pool, "SELECT count(*) FROM " + invitations + " WHERE token_hash = '\\x0b00' "
                    + "AND used_at IS NOT NULL AND revoked_at IS NULL"));
            assertEquals(1, Sql.count(pool, "SELECT count(*) FROM " + invitations + " WHERE token_hash = '\\x0c' "
                    + "AND revoked_at IS NOT NULL"));
        }
    }

    @Test
    void invitationEntriesOfTheActivityLogMoveOntoTheUserRows() throws Exception {
        TestEnv env = TestEnv.create("v13");
        String schema = env.name() + "_v12";
        String org = "00000000-0000-0000-0000-000000000001";
        String admin = uuid("a");
        String invited = uuid("b");
        String log = "SELECT count(*) FROM " + schema + ".user_activity WHERE user_id = '" + invited + "'";
        try (var pool = Database.pool(env.db(), "v13")) {
            flyway(pool, schema).target("12").load().migrate();
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("SET search_path TO " + schema);
                s.execute("INSERT INTO organizations (id, name, path, depth) VALUES ('" + org + "', 'O', ARRAY['"
                        + org + "'::uuid], 1)");
                s.execute("INSERT INTO users (id, org_id, email, first_name, last_name, role, invited_at, "
                        + "invite_job_id) VALUES ('" + admin + "', '" + org + "', 'a@x.example', 'A', 'L', 'Admin', "
                        + "'2026-01-01T00:00:00Z', null), ('" + invited + "', '" + org + "', 'b@x.example', 'B', 'L', "
                        + "'User', '2026-02-01T00:00:00Z', '" + uuid("c") + "')");
                s.execute("INSERT INTO activity (user_id, org_id, actor_id, action, client, details, at) VALUES "
                        + "('" + admin + "', '" + org + "', null, 'roster.user.invited', 'roster-gateway', null, "
                        + "'2026-01-01T00:00:00Z'), ('" + invited + "', '" + org + "', '" + admin + "', "
                        + "'roster.user.invited', 'console', 'job " + uuid("c") + "', '2026-02-01T00:00:00Z'), ('"
                        + invited + "', '" + org + "', '" + admin + "', 'roster.user.tags-changed', 'console', "
                        + "'+vip', '2026-03-01T00:00:00Z')");
            }
            flyway(pool, schema).load().migrate();
            assertEquals(0, Sql.count(pool, "SELECT count(*) FROM " + schema + ".activity WHERE action = "
                    + "'roster.user.invited'"), "no invitation is an activity row any more");
            assertEquals(1, Sql.count(pool, "SELECT count(*) FROM " + schema + ".users WHERE id = '" + invited
                    + "' AND invited_by = '" + admin + "' AND invite_client = 'console'"));
            assertEquals(2, Sql.count(pool, log), "the invitation and the tags change");
            assertEquals(1, Sql.count(pool, log + " AND action = 'roster.user.invited' AND actor_id = '" + admin
                    + "' AND client = 'console' AND details = 'job " + uuid("c") + "' AND at = "
                    + "'2026-02-01T00:00:00Z'"), "the entry reads as it did");
            assertEquals(1, Sql.count(pool, "SELECT count(*) FROM " + schema + ".user_activity WHERE user_id = '"
                    + admin + "' AND action = 'roster.user.invited' AND actor_id IS NULL AND client = "
                    + "'roster-gateway' AND details IS NULL"));
        }
    }

    private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(DataSource pool, String schema) {
        return Flyway.configure().dataSource(pool).schemas(schema).defaultSchema(schema).createSchemas(true)
                .locations("classpath:db/migration");
    }

    private static String uuid(String user) {
        return "00000000-0000-0000-0000-0000000000" + (int) user.charAt(0);
    }
}

package io.roster.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roster.contracts.event.StatusChanged;
import io.roster.contracts.user.Role;
import io.roster.contracts.user.UserStatus;
import io.roster.persistence.Database;
import io.roster.persistence.Tx;
import io.roster.persistence.Users;
import io.roster.testsupport.TestEnv;
import io.roster.workers.status.StatusChangeHandler;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Status transitions apply forwards in time only: a re-delivered or late transition changes nothing, emits nothing. */
class StatusChangeIT {

    @Test
    void transitionsApplyOnceAndNeverBackwards() {
        TestEnv env = TestEnv.create("statuschange");
        try (var pool = Database.pool(env.db(), "test")) {
            UUID org = InviteWorkerIT.newOrg(pool);
            UUID user = UUID.randomUUID();
            Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
            Tx.run(pool, c -> {
                Users.insertInvited(c, List.of(new Users.NewUser(user, org, user + "@x.example", "A", "B", Role.User,
                        null, List.of(), null, t0, null, null, "test")), UUID::randomUUID);
                return null;
            });
            StatusChangeHandler handler = new StatusChangeHandler(pool);
            StatusChanged active = new StatusChanged(user, org, UserStatus.pending, UserStatus.active, t0.plusSeconds(60),
                    t0.plusSeconds(60));
            StatusChanged inactive = new StatusChanged(user, org, UserStatus.active, UserStatus.inactive,
                    t0.plusSeconds(3600), t0.plusSeconds(60));

            assertTrue(handler.apply(active));
            assertFalse(handler.apply(active), "re-delivered");
            assertTrue(handler.apply(inactive));
            assertFalse(handler.apply(active), "late: older than the current status");

            Tx.run(pool, c -> {
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT status, last_login_at FROM users WHERE id = '" + user + "'")) {
                    rs.next();
                    assertEquals("inactive", rs.getString(1));
                    assertEquals(t0.plusSeconds(60), rs.getTimestamp(2).toInstant());
                }
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT count(*) FROM outbox WHERE change IS NOT NULL AND record_key = '" + user + "'")) {
                    rs.next();
                    assertEquals(3, rs.getInt(1), "invited, then one event per applied transition");
                }
                return null;
            });
        }
    }
}

package io.roster.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roster.persistence.Database;
import io.roster.persistence.Sweeps;
import io.roster.persistence.Tx;
import io.roster.testsupport.Sql;
import io.roster.testsupport.TestEnv;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Expired sessions and old login failures are swept, a bounded number a round; live ones stay. */
class SweepsIT {

    @Test
    void expiredSessionsAndOldLoginFailuresGoLiveOnesStay() {
        TestEnv env = TestEnv.create("sweeps");
        try (var pool = Database.pool(env.db(), "test")) {
            UUID user = InviteWorkerIT.newAdmin(pool, InviteWorkerIT.newOrg(pool));
            Instant now = Instant.now();
            Tx.run(pool, c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO sessions (token_hash, user_id, expires_at) VALUES (?, ?, ?)")) {
                    for (int i = 0; i < 5; i++) {
                        ps.setBytes(1, UUID.randomUUID().toString().getBytes());
                        ps.setObject(2, user);
                        ps.setTimestamp(3, Timestamp.from(now.plus(Duration.ofHours(i < 3 ? -1 : 1))));
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO login_failures (email, failed_at) VALUES ('x@example.com', ?)")) {
                    for (int i = 0; i < 4; i++) {
                        ps.setTimestamp(1, Timestamp.from(now.minus(Duration.ofHours(i < 3 ? 25 : 1))));
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                return null;
            });
            assertEquals(2, (int) Tx.run(pool, c -> Sweeps.expiredSessions(c, now, 2)), "at most the limit a round");
            assertEquals(1, (int) Tx.run(pool, c -> Sweeps.expiredSessions(c, now, 2)));
            assertEquals(2, Sql.count(pool, "SELECT count(*) FROM sessions"), "the live sessions stay");
            assertEquals(3, (int) Tx.run(pool, c -> Sweeps.oldLoginFailures(c, now, 10)));
            assertEquals(1, Sql.count(pool, "SELECT count(*) FROM login_failures"), "a recent failure stays");
        }
    }
}

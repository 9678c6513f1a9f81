package io.roster.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roster.testsupport.JobRows;
import io.roster.contracts.job.JobState;
import io.roster.contracts.job.JobType;
import io.roster.persistence.Database;
import io.roster.persistence.Jobs;
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

/**
 * Expired sessions and old login failures are swept, a bounded number a round; live ones stay. Jobs whose upload was
 * cut off are failed; no other job is touched.
 */
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

    /**
     * The sweep of cut-off uploads fails a job only when its upload never finished and nothing was applied, once the
     * timeout passed: a recent upload, a submitted job still queued, a streamed job already being applied and a
     * finished job stay as they are.
     */
    @Test
    void onlyJobsWhoseUploadWasCutOffAreFailed() {
        TestEnv env = TestEnv.create("sweepjobs");
        try (var pool = Database.pool(env.db(), "test")) {
            UUID org = InviteWorkerIT.newOrg(pool);
            UUID admin = InviteWorkerIT.newAdmin(pool, org);
            UUID cutOff = job(pool, org, admin, "queued", false, 0, "1 hour");
            UUID recent = job(pool, org, admin, "queued", false, 0, "1 minute");
            UUID submitted = job(pool, org, admin, "queued", true, 0, "1 hour");
            UUID streaming = job(pool, org, admin, "running", false, 2, "1 hour");
            UUID finished = job(pool, org, admin, "succeeded", true, 3, "1 hour");
            Instant cutoff = Instant.now().minus(Duration.ofMinutes(20));
            assertEquals(1, (int) Tx.run(pool, c -> Jobs.failInterruptedSubmissions(c, cutoff)));
            Jobs.Job failed = JobRows.find(pool, cutOff).orElseThrow();
            assertEquals(JobState.failed, failed.state());
            assertTrue(failed.failureReason().contains("cut off"), failed.failureReason());
            assertEquals(JobState.queued, JobRows.find(pool, recent).orElseThrow().state());
            assertEquals(JobState.queued, JobRows.find(pool, submitted).orElseThrow().state());
            assertEquals(JobState.running, JobRows.find(pool, streaming).orElseThrow().state());
            assertEquals(JobState.succeeded, JobRows.find(pool, finished).orElseThrow().state());
            assertEquals(0, (int) Tx.run(pool, c -> Jobs.failInterruptedSubmissions(c, cutoff)), "once");
        }
    }

    private static UUID job(javax.sql.DataSource pool, UUID org, UUID admin, String state, boolean submitted,
                            int chunksDone, String age) {
        UUID id = UUID.randomUUID();
        Tx.run(pool, c -> {
            Jobs.insert(c, id, org, JobType.invite, 10, 5, admin, null, null);
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET state = ?, chunks_done = ?, "
                    + "created_at = now() - ?::interval, submitted_at = CASE WHEN ? THEN now() END WHERE id = ?")) {
                ps.setString(1, state);
                ps.setInt(2, chunksDone);
                ps.setString(3, age);
                ps.setBoolean(4, submitted);
                ps.setObject(5, id);
                ps.executeUpdate();
            }
            return null;
        });
        return id;
    }
}

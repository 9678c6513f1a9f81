package io.roster.workers.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roster.contracts.job.ExportCommand;
import io.roster.contracts.job.JobState;
import io.roster.contracts.job.JobType;
import io.roster.contracts.user.UsersFilter;
import io.roster.persistence.Database;
import io.roster.persistence.Jobs;
import io.roster.persistence.Tx;
import io.roster.testsupport.JobRows;
import io.roster.testsupport.Sql;
import io.roster.testsupport.TestEnv;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An export reports how far it has got while its one transaction writes the file: on a connection of its own, so
 * the job's progress is committed (and a console polling the job sees it move) before the export's rows are; when
 * it commits, the job's counts say every row.
 */
class ExportProgressIT {

    @Test
    void progressIsCommittedEveryThousandRowsWhileTheFileIsWritten() {
        TestEnv env = TestEnv.create("exportprogress");
        try (var pool = Database.pool(env.db(), "test")) {
            UUID org = UUID.randomUUID();
            Sql.execute(pool, "INSERT INTO organizations (id, name, path, depth) VALUES ('" + org + "', 'Org', ARRAY['"
                    + org + "'::uuid], 1)");
            int users = 20_500;
            Sql.execute(pool, "INSERT INTO users (id, org_id, email, first_name, last_name, role) SELECT "
                    + "gen_random_uuid(), '" + org + "', 'user' || i || '@progress.example', 'User', i::text, 'User' "
                    + "FROM generate_series(1, " + users + ") i");
            UUID job = UUID.randomUUID();
            Tx.run(pool, c -> {
                Jobs.insert(c, job, org, JobType.export, users, 1, UUID.randomUUID(), null, null);
                return null;
            });
            // every check (each 1,000 rows) reports, as a slow export would every half second
            ExportHandler handler = new ExportHandler(pool, Clock.systemUTC(), Duration.ofDays(1), Duration.ZERO);
            handler.apply(new ExportCommand(job, org, 0, 1, UUID.randomUUID(), "test", null,
                    new UsersFilter(List.of(), List.of(), null, null, false), ExportCommand.COLUMNS, false, "email",
                    users));

            Jobs.Job done = JobRows.find(pool, job).orElseThrow();
            assertEquals(JobState.succeeded, done.state());
            assertEquals(users, done.processed(), "the committed count: every row");
            // the last report, at row 20,000, was committed by its own transaction before the export's
            assertEquals(20_000, done.progress());
            assertTrue(Sql.count(pool, "SELECT count(*) FROM job_results WHERE job_id = '" + job + "'") >= 1);
        }
    }
}

package io.roster.gateway.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.roster.contracts.job.JobState;
import io.roster.contracts.job.JobType;
import io.roster.persistence.Jobs;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A job as the API shows it: progress, rate and time left. */
class JobViewTest {

    static final Instant STARTED = Instant.parse("2026-12-01T10:00:00Z");

    static Jobs.Job export(JobState state, int processed, Integer progress, Instant finished) {
        return new Jobs.Job(UUID.randomUUID(), UUID.randomUUID(), JobType.export, state, 1000, processed, processed, 0,
                1, state.terminal() ? 1 : 0, UUID.randomUUID(), null, null, STARTED, STARTED, STARTED, finished, 0,
                null, null, progress);
    }

    @Test
    void aRunningExportShowsTheRowsItHasWrittenSoFar() {
        JobView view = JobView.of(export(JobState.running, 0, 400, null), STARTED.plusSeconds(2));
        assertEquals(400, view.processed());
        assertEquals(200.0, view.rate());
        assertEquals(3L, view.etaSeconds(), "600 left at 200 a second");
    }

    @Test
    void progressNeverPassesTheTotalNorHidesCommittedCounts() {
        assertEquals(1000, JobView.of(export(JobState.running, 0, 1500, null), STARTED.plusSeconds(1)).processed());
        assertEquals(700, JobView.of(export(JobState.running, 700, 300, null), STARTED.plusSeconds(1)).processed());
    }

    @Test
    void aFinishedJobShowsItsCommittedCountsOnly() {
        JobView view = JobView.of(export(JobState.succeeded, 990, 1000, STARTED.plusSeconds(10)),
                STARTED.plusSeconds(60));
        assertEquals(990, view.processed());
        assertNotNull(view.rate());
        assertEquals(null, view.etaSeconds());
    }
}

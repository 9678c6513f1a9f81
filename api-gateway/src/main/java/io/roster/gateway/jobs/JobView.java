package io.roster.gateway.jobs;

import io.micronaut.core.annotation.Nullable;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.roster.contracts.job.JobState;
import io.roster.contracts.job.JobType;
import io.roster.persistence.Jobs;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A job as the API shows it. {@code skipped} counts the rows of a cancelled job that were never applied;
 * {@code rate} is rows per second since the job started; {@code etaSeconds} the time left at that rate (null when
 * not running).
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record JobView(UUID id, UUID orgId, JobType type, JobState state, int total, int processed, int succeeded,
                      int failed, int skipped, boolean cancelRequested, Instant createdAt, @Nullable Instant startedAt,
                      @Nullable Instant finishedAt, @Nullable Double rate, @Nullable Long etaSeconds,
                      @Nullable String failureReason) {

    public static JobView of(Jobs.Job job, Instant now) {
        // while a job runs, rows it has got through but not yet committed (an export's file) count as processed
        int processed = job.state().terminal() || job.progress() == null ? job.processed()
                : Math.max(job.processed(), Math.min(job.progress(), job.total()));
        Double rate = null;
        Long eta = null;
        if (job.startedAt() != null && processed > 0) {
            Instant end = job.finishedAt() != null ? job.finishedAt() : now;
            double seconds = Math.max(0.001, Duration.between(job.startedAt(), end).toMillis() / 1000.0);
            rate = Math.round(processed / seconds * 10) / 10.0;
            if (!job.state().terminal() && rate > 0 && job.chunkCount() != Jobs.CHUNKS_UNKNOWN) {
                eta = (long) Math.ceil(Math.max(0, job.total() - processed - job.skipped()) / rate);
            }
        }
        return new JobView(job.id(), job.orgId(), job.type(), job.state(), job.total(), processed,
                job.succeeded(), job.failed(), job.skipped(), job.cancelRequestedAt() != null, job.createdAt(),
                job.startedAt(), job.finishedAt(), rate, eta, job.failureReason());
    }

    /** 202 Accepted with the job and its {@code Location}: the answer to a submitted job. */
    public static io.micronaut.http.HttpResponse<JobView> accepted(Jobs.Job job, Instant now) {
        return io.micronaut.http.HttpResponse.<JobView>status(io.micronaut.http.HttpStatus.ACCEPTED)
                .header(io.micronaut.http.HttpHeaders.LOCATION, "/api/v1/jobs/" + job.id())
                .body(of(job, now));
    }
}

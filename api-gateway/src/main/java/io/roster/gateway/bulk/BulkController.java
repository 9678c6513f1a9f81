package io.roster.gateway.bulk;

import io.roster.gateway.problem.Problem;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.roster.gateway.problem.ProblemResponses;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.roster.gateway.jobs.AcceptedJob;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Status;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.roster.gateway.auth.Caller;
import io.roster.gateway.jobs.JobSubmitter;
import io.roster.gateway.jobs.JobView;
import java.time.Clock;
import java.util.UUID;

/**
 * Bulk jobs over existing users: apply or remove a tag, delete, transfer, export. Each answers 202 with the job (its
 * {@code total} is the number of users selected) and its {@code Location}; progress and row errors are on the job.
 * {@code Idempotency-Key} works as for every job.
 */
@Controller("/api/v1/orgs/{orgId}/jobs")
@ExecuteOn(TaskExecutors.BLOCKING)
@ProblemResponses
@SecurityRequirement(name = "bearer")
public class BulkController {

    private final BulkService bulk;
    private final Clock clock;

    public BulkController(BulkService bulk, Clock clock) {
        this.bulk = bulk;
        this.clock = clock;
    }

    @AcceptedJob
    @Status(HttpStatus.ACCEPTED)
    @Post("/tag")
    public HttpResponse<JobView> tag(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID orgId,
                                     @Body BulkRequests.TagRequest request,
                                     @Nullable @Header("Idempotency-Key") String idempotencyKey) {
        return accepted(bulk.tag(caller, orgId, request, idempotencyKey));
    }

    @AcceptedJob
    @Status(HttpStatus.ACCEPTED)
    @Post("/delete")
    public HttpResponse<JobView> delete(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID orgId,
                                        @Body BulkRequests.DeleteRequest request,
                                        @Nullable @Header("Idempotency-Key") String idempotencyKey) {
        return accepted(bulk.delete(caller, orgId, request, idempotencyKey));
    }

    @AcceptedJob
    @Status(HttpStatus.ACCEPTED)
    @Post("/transfer")
    public HttpResponse<JobView> transfer(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID orgId,
                                          @Body BulkRequests.TransferRequest request,
                                          @Nullable @Header("Idempotency-Key") String idempotencyKey) {
        return accepted(bulk.transfer(caller, orgId, request, idempotencyKey));
    }

    /** The file is served by {@code GET /api/v1/jobs/{jobId}/result} once the job has finished. */
    @AcceptedJob
    @Status(HttpStatus.ACCEPTED)
    @Post("/export")
    public HttpResponse<JobView> export(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID orgId,
                                        @Body BulkRequests.ExportRequest request,
                                        @Nullable @Header("Idempotency-Key") String idempotencyKey) {
        return accepted(bulk.export(caller, orgId, request, idempotencyKey));
    }

    private HttpResponse<JobView> accepted(JobSubmitter.Submission submission) {
        return JobView.accepted(submission.job(), clock.instant());
    }
}

package io.roster.gateway.bulk;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
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
public class BulkController {

    private final BulkService bulk;
    private final Clock clock;

    public BulkController(BulkService bulk, Clock clock) {
        this.bulk = bulk;
        this.clock = clock;
    }

    @Post("/tag")
    public HttpResponse<JobView> tag(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID orgId,
                                     @Body BulkRequests.TagRequest request,
                                     @Nullable @Header("Idempotency-Key") String idempotencyKey) {
        return accepted(bulk.tag(caller, orgId, request, idempotencyKey));
    }

    @Post("/delete")
    public HttpResponse<JobView> delete(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID orgId,
                                        @Body BulkRequests.DeleteRequest request,
                                        @Nullable @Header("Idempotency-Key") String idempotencyKey) {
        return accepted(bulk.delete(caller, orgId, request, idempotencyKey));
    }

    @Post("/transfer")
    public HttpResponse<JobView> transfer(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID orgId,
                                          @Body BulkRequests.TransferRequest request,
                                          @Nullable @Header("Idempotency-Key") String idempotencyKey) {
        return accepted(bulk.transfer(caller, orgId, request, idempotencyKey));
    }

    /** The file is served by {@code GET /api/v1/jobs/{jobId}/result} once the job has finished. */
    @Post("/export")
    public HttpResponse<JobView> export(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID orgId,
                                        @Body BulkRequests.ExportRequest request,
                                        @Nullable @Header("Idempotency-Key") String idempotencyKey) {
        return accepted(bulk.export(caller, orgId, request, idempotencyKey));
    }

    private HttpResponse<JobView> accepted(JobSubmitter.Submission submission) {
        return submission.accepted(clock.instant());
    }
}

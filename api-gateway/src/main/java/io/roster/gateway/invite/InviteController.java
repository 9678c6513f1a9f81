package io.roster.gateway.invite;

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
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.roster.gateway.auth.Caller;
import io.roster.gateway.jobs.JobSubmitter;
import io.roster.gateway.jobs.JobView;
import jakarta.validation.Valid;
import java.io.InputStream;
import java.time.Clock;
import java.util.UUID;

/**
 * {@code POST /api/v1/orgs/{orgId}/jobs/invite}: accepts users to invite as a job. 202 with the job's
 * {@code Location}; rows are validated by the workers and bad ones reported on the job.
 */
@Controller("/api/v1/orgs/{orgId}/jobs")
@ExecuteOn(TaskExecutors.BLOCKING)
@ProblemResponses
@SecurityRequirement(name = "bearer")
public class InviteController {

    private final InviteService invites;
    private final Clock clock;

    public InviteController(InviteService invites, Clock clock) {
        this.invites = invites;
        this.clock = clock;
    }

    /**
     * A CSV import, read as it streams in: a header row, then one user per line. {@code ?upsert=true} updates the
     * accounts the organization already has instead of reporting them.
     */
    @AcceptedJob
    @Status(HttpStatus.ACCEPTED)
    @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "A header row, then a user per line",
            required = true, content = @Content(mediaType = "text/csv", schema = @Schema(type = "string")))
    @Post("/invite")
    @Consumes("text/csv")
    public HttpResponse<JobView> importCsv(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID orgId,
                                           @Nullable @Body InputStream body,
                                           @io.swagger.v3.oas.annotations.Parameter(required = false)
            @QueryValue(defaultValue = "false") boolean upsert,
                                           @Nullable @Header("Idempotency-Key") String idempotencyKey) {
        // the body as a stream, read as it arrives on this blocking thread: never held whole; no body at all is an
        // empty CSV, refused as such
        return accepted(invites.submitCsv(caller, orgId, body == null ? InputStream.nullInputStream() : body, upsert,
                idempotencyKey));
    }

    @AcceptedJob
    @Status(HttpStatus.ACCEPTED)
    @Post("/invite")
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<JobView> invite(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID orgId,
                                        @Body @Valid InviteRequest request,
                                        @Nullable @Header("Idempotency-Key") String idempotencyKey) {
        return accepted(invites.submit(caller, orgId, request, idempotencyKey));
    }

    private HttpResponse<JobView> accepted(JobSubmitter.Submission submission) {
        return JobView.accepted(submission.job(), clock.instant());
    }
}

package io.roster.gateway.jobs;

import io.roster.gateway.problem.Problem;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.roster.gateway.problem.ProblemResponses;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.roster.gateway.auth.Caller;
import io.roster.gateway.problem.ProblemException;
import io.roster.persistence.Jobs;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * {@code GET /api/v1/orgs/{orgId}/jobs?limit=&cursor=}: the organization's jobs, newest first, of the types the
 * caller may run.
 */
@Controller("/api/v1/orgs/{orgId}/jobs")
@ExecuteOn(TaskExecutors.BLOCKING)
@ProblemResponses
@SecurityRequirement(name = "bearer")
public class OrgJobController {

    private final JobQueries jobs;
    private final Clock clock;

    public OrgJobController(JobQueries jobs, Clock clock) {
        this.jobs = jobs;
        this.clock = clock;
    }

    /** A page of jobs, and the cursor of the next one (null on the last page). */
    @Serdeable
    public record JobPage(List<JobView> items, @Nullable String nextCursor) {
    }

    @Get
    public JobPage list(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID orgId,
                        @io.swagger.v3.oas.annotations.Parameter(required = false)
            @QueryValue(defaultValue = "50") int limit, @Nullable @QueryValue String cursor) {
        if (limit < 1 || limit > 1000) {
            throw ProblemException.invalid("limit", "must be between 1 and 1000");
        }
        UUID after = null;
        if (cursor != null) {
            try {
                after = UUID.fromString(cursor);
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid("cursor", "is not a cursor this API returned");
            }
        }
        List<Jobs.Job> page = jobs.list(caller, orgId, after, limit + 1);
        String next = page.size() > limit ? page.get(limit - 1).id().toString() : null;
        return new JobPage(page.stream().limit(limit).map(j -> JobView.of(j, clock.instant())).toList(), next);
    }
}

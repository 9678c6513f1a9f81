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
import io.roster.gateway.orgs.Access;
import io.roster.gateway.orgs.Permission;
import io.roster.gateway.problem.ProblemException;
import io.roster.persistence.Jobs;
import io.roster.persistence.Tx;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * {@code GET /api/v1/orgs/{orgId}/jobs?limit=&cursor=}: the organization's jobs, newest first, of the types the
 * caller may run.
 */
@Controller("/api/v1/orgs/{orgId}/jobs")
@ExecuteOn(TaskExecutors.BLOCKING)
@ProblemResponses
@SecurityRequirement(name = "bearer")
public class OrgJobController {

    private final DataSource dataSource;
    private final Access access;
    private final Clock clock;

    public OrgJobController(DataSource dataSource, Access access, Clock clock) {
        this.dataSource = dataSource;
        this.access = access;
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
        access.reach(caller, orgId);
        Set<Permission> mine = access.permissions(caller);
        UUID from = after;
        List<Jobs.Job> jobs = Tx.run(dataSource, c -> Jobs.list(c, orgId, from, limit + 1));
        String next = jobs.size() > limit ? jobs.get(limit - 1).id().toString() : null;
        return new JobPage(jobs.stream().limit(limit)
                .filter(j -> mine.contains(JobController.permissionFor(j.type())))
                .map(j -> JobView.of(j, clock.instant())).toList(), next);
    }
}

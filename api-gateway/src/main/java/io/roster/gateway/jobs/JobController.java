package io.roster.gateway.jobs;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.roster.gateway.auth.Caller;
import io.roster.contracts.job.JobType;
import io.roster.gateway.orgs.Access;
import io.roster.gateway.orgs.Permission;
import io.roster.gateway.problem.ProblemException;
import io.roster.persistence.Jobs;
import io.roster.persistence.Tx;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/** {@code GET /api/v1/jobs/{jobId}} and {@code GET /api/v1/jobs/{jobId}/errors}: a job's progress and bad rows. */
@Controller("/api/v1/jobs")
@ExecuteOn(TaskExecutors.BLOCKING)
public class JobController {

    private final DataSource dataSource;
    private final Access access;
    private final Clock clock;

    public JobController(DataSource dataSource, Access access, Clock clock) {
        this.dataSource = dataSource;
        this.access = access;
        this.clock = clock;
    }

    /** One bad row. */
    @Serdeable
    public record RowErrorView(int row, String field, String code, String message) {
    }

    /** A page of row errors. */
    @Serdeable
    public record ErrorsPage(List<RowErrorView> items) {
    }

    @Get("/{jobId}")
    public JobView job(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID jobId) {
        return JobView.of(visible(caller, jobId), clock.instant());
    }

    @Get("/{jobId}/errors")
    public ErrorsPage errors(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID jobId,
                             @QueryValue(defaultValue = "100") @Min(1) @Max(1000) int limit) {
        visible(caller, jobId);
        List<RowErrorView> items = Tx.run(dataSource, c -> Jobs.errors(c, jobId, limit)).stream()
                .map(e -> new RowErrorView(e.rowNo(), e.field(), e.code(), e.message())).toList();
        return new ErrorsPage(items);
    }

    private Jobs.Job visible(Caller caller, UUID jobId) {
        Jobs.Job job = Tx.run(dataSource, c -> Jobs.find(c, jobId))
                .filter(j -> access.reaches(caller, j.orgId()))
                .orElseThrow(() -> ProblemException.notFound("Job " + jobId));
        access.require(caller, permissionFor(job.type()));
        return job;
    }

    /** Seeing a job takes the permission of submitting one of its type. */
    static Permission permissionFor(JobType type) {
        return switch (type) {
            case invite -> Permission.invite;
            case delete -> Permission.delete;
            case tag -> Permission.tag;
            case transfer -> Permission.transfer;
            case export -> Permission.export;
        };
    }
}

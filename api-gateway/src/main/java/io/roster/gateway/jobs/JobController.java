package io.roster.gateway.jobs;

import io.roster.persistence.repositories.JobRepository;
import io.roster.gateway.problem.Problem;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.roster.gateway.problem.ProblemResponses;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.roster.gateway.auth.Caller;
import io.roster.gateway.problem.ProblemException;
import io.roster.persistence.JobResults;
import io.roster.persistence.Jobs;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * {@code GET /api/v1/jobs/{jobId}}, {@code GET /api/v1/jobs/{jobId}/errors} (keyset pages in row order) and
 * {@code DELETE /api/v1/jobs/{jobId}} (cancel): a job's progress and bad rows, for callers who may run its type.
 */
@Controller("/api/v1/jobs")
@ExecuteOn(TaskExecutors.BLOCKING)
@ProblemResponses
@SecurityRequirement(name = "bearer")
public class JobController {

    private final JobQueries jobs;
    private final Clock clock;

    public JobController(JobQueries jobs, Clock clock) {
        this.jobs = jobs;
        this.clock = clock;
    }

    /** One bad row. */
    @Serdeable
    public record RowErrorView(int row, @Nullable String field, String code, String message) {
    }

    /** A page of row errors, and the cursor of the next one (null on the last page). */
    @Serdeable
    public record ErrorsPage(List<RowErrorView> items, @Nullable String nextCursor) {
    }

    @Get("/{jobId}")
    public JobView job(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID jobId) {
        return JobView.of(jobs.visible(caller, jobId), clock.instant());
    }

    @Get("/{jobId}/errors")
    public ErrorsPage errors(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID jobId,
                             @io.swagger.v3.oas.annotations.Parameter(required = false)
            @QueryValue(defaultValue = "100") @Min(1) @Max(1000) int limit,
                             @Nullable @QueryValue String cursor) {
        int afterRow = 0;
        long afterId = 0;
        if (cursor != null) {
            String[] parts = cursor.split("\\.", -1);
            try {
                afterRow = Integer.parseInt(parts[0]);
                afterId = Long.parseLong(parts[1]);
            } catch (RuntimeException e) {
                throw ProblemException.invalid("cursor", "is not a cursor this API returned");
            }
        }
        int fromRow = afterRow;
        long fromId = afterId;
        List<JobRepository.ErrorRow> page = jobs.errors(caller, jobId, fromRow, fromId, limit + 1);
        String next = null;
        if (page.size() > limit) {
            JobRepository.ErrorRow last = page.get(limit - 1);
            next = last.rowNo() + "." + last.id();
            page = page.subList(0, limit);
        }
        return new ErrorsPage(page.stream().map(p -> new RowErrorView(p.rowNo(), p.field(), p.code(), p.message()))
                .toList(), next);
    }

    /**
     * The file a job produced (an export), streamed from PostgreSQL a part at a time by whichever gateway is asked:
     * 404 while there is none (yet), 410 once it expired.
     */
    @ApiResponse(responseCode = "200", description = "The export's file: CSV, or gzip when asked",
            content = {@Content(mediaType = "text/csv", schema = @Schema(type = "string", format = "binary")),
                @Content(mediaType = "application/gzip", schema = @Schema(type = "string", format = "binary"))})
    @ApiResponse(responseCode = "409", description = "The job is not an export, or has not finished",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "410", description = "The file has expired (`ROSTER_EXPORT_TTL`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get("/{jobId}/result")
    public HttpResponse<Publisher<byte[]>> result(
            @RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID jobId) {
        JobResults.Meta meta = jobs.result(caller, jobId);
        String name = "users-" + jobId + (meta.type().equals("application/gzip") ? ".csv.gz" : ".csv");
        // a part (1 MB) at a time, each read in a short transaction of its own, off the event loop; the next part
        // is read while the connection takes the last one (at most two parts in memory per download)
        Flux<byte[]> parts = Flux.<byte[], Integer>generate(() -> 0,
                (partNo, sink) -> {
                    byte[] part = jobs.resultPart(jobId, partNo);
                    if (part == null) {
                        sink.complete();
                    } else {
                        sink.next(part);
                    }
                    return partNo + 1;
                }).subscribeOn(Schedulers.boundedElastic())
                .publishOn(Schedulers.boundedElastic(), 1);
        return HttpResponse.ok((Publisher<byte[]>) parts)
                .contentType(MediaType.of(meta.type().equals("text/csv") ? "text/csv; charset=utf-8"
                        : meta.type()))
                .contentLength(meta.bytes())
                .header("Content-Disposition", "attachment; filename=\"" + name + "\"")
                .header("Cache-Control", "private, no-store");
    }

    /**
     * Cancels a job: chunks not yet applied are skipped, and the job, once every chunk is accounted for, is
     * {@code cancelled} with its {@code skipped} count. 409 when the job has finished already.
     */
    @ApiResponse(responseCode = "202", description = "Cancelling: chunks not yet applied will be skipped",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = JobView.class)))
    @ApiResponse(responseCode = "409", description = "The job has finished already",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Delete("/{jobId}")
    public HttpResponse<JobView> cancel(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID jobId) {
        Jobs.Job job = jobs.cancel(caller, jobId);
        return HttpResponse.accepted().body(JobView.of(job, clock.instant()));
    }
}

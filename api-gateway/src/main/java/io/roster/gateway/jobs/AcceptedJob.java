package io.roster.gateway.jobs;

import io.roster.gateway.problem.Problem;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The responses of every operation that submits a job, for the OpenAPI document: 202 with the job and its
 * {@code Location}; 413 past a limit of rows or bytes; 422 for an {@code Idempotency-Key} reused with another body
 * or a request that can never be applied; 429 when the organization runs too many jobs; 503 when the broker could
 * not take the job (retry with the same {@code Idempotency-Key}). With {@code @Status(HttpStatus.ACCEPTED)} on the
 * operation, so that the document does not also list the 200 it would infer.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@ApiResponse(responseCode = "202", description = "The job, accepted; follow `Location` for its progress",
        headers = @Header(name = "Location", description = "The job: `/api/v1/jobs/{jobId}`",
                schema = @Schema(type = "string")),
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = JobView.class)))
@ApiResponse(responseCode = "413", description = "Over a limit of rows or of the request's size",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "422", description = "The request can never be applied as it is (an "
        + "`Idempotency-Key` used with another body, a confirmation missing, an unknown destination)",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "503", description = "The job could not be queued; retry with the same "
        + "`Idempotency-Key` (with `Retry-After`)",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public @interface AcceptedJob {
}

package io.roster.gateway.problem;

import io.micronaut.http.HttpStatus;
import java.time.Duration;
import java.util.List;

/** Ends a request with a problem response. Thrown by services; rendered by {@link ProblemHandler}. */
public final class ProblemException extends RuntimeException {

    private final HttpStatus status;
    private final String slug;
    private final String title;
    private final List<Problem.FieldError> errors;
    private final Duration retryAfter;

    public ProblemException(HttpStatus status, String slug, String title, String detail,
                            List<Problem.FieldError> errors, Duration retryAfter) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.retryAfter = retryAfter;
    }

    public static ProblemException invalid(String field, String reason) {
        return new ProblemException(HttpStatus.BAD_REQUEST, "invalid-request", "The request is not valid",
                field + ": " + reason, List.of(new Problem.FieldError(field, reason)), null);
    }

    public static ProblemException unprocessable(String slug, String field, String reason) {
        return new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, slug, "The request cannot be applied",
                reason, List.of(new Problem.FieldError(field, reason)), null);
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(HttpStatus.NOT_FOUND, "not-found", "Not found", what + " was not found",
                List.of(), null);
    }

    public static ProblemException unauthorized(String detail) {
        return new ProblemException(HttpStatus.UNAUTHORIZED, "unauthorized", "Authentication required", detail,
                List.of(), null);
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(HttpStatus.FORBIDDEN, "forbidden", "Not allowed", detail, List.of(), null);
    }

    /** 403 about one field: the caller may not ask for this value (a role above their own, say). */
    public static ProblemException forbiddenField(String slug, String field, String reason) {
        return new ProblemException(HttpStatus.FORBIDDEN, slug, "Not allowed", reason,
                List.of(new Problem.FieldError(field, reason)), null);
    }

    public static ProblemException tooLarge(String field, String reason) {
        return new ProblemException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "too-large", "The request is too large",
                reason, List.of(new Problem.FieldError(field, reason)), null);
    }

    public static ProblemException unavailable(String detail, Duration retryAfter) {
        return new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Try again later", detail,
                List.of(), retryAfter);
    }

    /** 409: the state of a resource does not allow the request now; {@code field} may be null. */
    public static ProblemException conflict(String slug, String title, String detail, String field, String reason) {
        return new ProblemException(HttpStatus.CONFLICT, slug, title, detail,
                field == null ? List.of() : List.of(new Problem.FieldError(field, reason)), null);
    }

    /** 410: what was asked for existed and is gone for good. */
    public static ProblemException gone(String slug, String title, String detail) {
        return new ProblemException(HttpStatus.GONE, slug, title, detail, List.of(), null);
    }

    /** 429 with Retry-After: a limit the caller reached, to retry after {@code retryAfter}. */
    public static ProblemException tooManyRequests(String slug, String title, String detail, Duration retryAfter) {
        return new ProblemException(HttpStatus.TOO_MANY_REQUESTS, slug, title, detail, List.of(), retryAfter);
    }

    /** The same problem about fields nested under {@code prefix} (e.g. {@code filter.role}). */
    public ProblemException nestedIn(String prefix) {
        List<Problem.FieldError> nested = errors.stream()
                .map(e -> new Problem.FieldError(prefix + "." + e.field(), e.reason())).toList();
        String detail = nested.isEmpty() ? getMessage()
                : nested.stream().map(e -> e.field() + ": " + e.reason()).collect(java.util.stream.Collectors.joining("; "));
        return new ProblemException(status, slug, title, detail, nested, retryAfter);
    }

    public HttpStatus status() {
        return status;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    public Problem problem() {
        return new Problem(Problem.type(slug), title, status.getCode(), getMessage(), errors);
    }
}

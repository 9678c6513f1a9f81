package io.roster.gateway.problem;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Turns the framework's own errors (malformed JSON, constraint violations, unknown routes, wrong methods or media
 * types) into problem details with the field and the reason. Exception messages of unexpected errors never
 * reach the client.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Problem> {

    @Override
    public MutableHttpResponse<Problem> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        HttpStatus status = response.getStatus();
        List<Problem.FieldError> errors = context.getErrors().stream()
                .map(ProblemErrorResponseProcessor::fieldError)
                .toList();
        String slug;
        String title;
        String detail;
        if (status.getCode() >= 500) {
            slug = "internal";
            title = "Internal error";
            detail = "The request failed on our side; it may be retried.";
            errors = List.of();
        } else if (status == HttpStatus.NOT_FOUND) {
            slug = "not-found";
            title = "Not found";
            detail = "No such resource: " + context.getRequest().getPath();
            errors = List.of();
        } else if (status == HttpStatus.METHOD_NOT_ALLOWED) {
            slug = "method-not-allowed";
            title = "Method not allowed";
            detail = context.getRequest().getMethodName() + " is not allowed on " + context.getRequest().getPath();
            errors = List.of();
        } else if (status == HttpStatus.REQUEST_ENTITY_TOO_LARGE) {
            slug = "too-large";
            title = "The request is too large";
            detail = "The body is larger than this server accepts (ROSTER_MAX_REQUEST_MB).";
            errors = List.of(new Problem.FieldError("body", "too large"));
        } else if (status == HttpStatus.UNSUPPORTED_MEDIA_TYPE) {
            slug = "unsupported-media-type";
            title = "Unsupported media type";
            detail = "The body's Content-Type is not accepted here.";
            errors = List.of();
        } else {
            slug = "invalid-request";
            title = "The request is not valid";
            detail = errors.isEmpty() ? status.getReason() : errors.get(0).reason();
        }
        return response.contentType(Problem.MEDIA_TYPE)
                .body(new Problem(Problem.type(slug), title, status.getCode(), detail, errors));
    }

    private static final java.util.regex.Pattern UNKNOWN = java.util.regex.Pattern.compile(
            "Unknown property \\[([^\\]]+)\\]");

    private static final java.util.regex.Pattern PROPERTY = java.util.regex.Pattern.compile(
            "property \\[(?:[^\\]]* )?([A-Za-z0-9_]+)\\]");
    private static final java.util.regex.Pattern ARGUMENT = java.util.regex.Pattern.compile(
            "argument \\[(?:[^\\]]* )?([A-Za-z0-9_]+)\\]");

    private static Problem.FieldError fieldError(io.micronaut.http.server.exceptions.response.Error error) {
        String message = error.getMessage() == null ? "" : error.getMessage();
        java.util.regex.Matcher unknown = UNKNOWN.matcher(message);
        if (unknown.find()) {
            return new Problem.FieldError(unknown.group(1), "is not a known field");
        }
        int refused = message.indexOf(io.roster.gateway.input.StrictJson.REFUSED);
        if (refused >= 0) {
            String what = message.substring(refused + io.roster.gateway.input.StrictJson.REFUSED.length());
            int colon = what.indexOf(": ");
            return new Problem.FieldError(colon < 0 ? innermost(PROPERTY, message) : what.substring(0, colon),
                    colon < 0 ? what : what.substring(colon + 2));
        }
        java.util.regex.Matcher argument = ARGUMENT.matcher(message);
        if (argument.find() && !message.contains("property [")) {
            // a path variable or query parameter that does not convert (a bad UUID, limit=abc)
            return new Problem.FieldError(argument.group(1), "is not a valid value of its type");
        }
        if (message.contains("property [")) {
            return new Problem.FieldError(innermost(PROPERTY, message), "is not a valid value of its type");
        }
        if (error.getPath().isPresent() && !error.getPath().get().startsWith("/")) {
            return new Problem.FieldError(field(error.getPath().get()), error.getMessage());
        }
        return new Problem.FieldError("body", "could not be read: it is not valid JSON of the expected shape, or "
                + "not what its Content-Type says");
    }

    /** The last (innermost) name {@code pattern} finds in {@code message}. */
    private static String innermost(java.util.regex.Pattern pattern, String message) {
        java.util.regex.Matcher matcher = pattern.matcher(message);
        String name = null;
        while (matcher.find()) {
            name = matcher.group(1);
        }
        return name;
    }

    /** "submit.request.users[0].email" becomes "users[0].email": the path the client sent. */
    private static String field(String path) {
        String[] parts = path.split("\\.");
        if (parts.length > 2) {
            return String.join(".", java.util.Arrays.copyOfRange(parts, 2, parts.length));
        }
        return path;
    }
}

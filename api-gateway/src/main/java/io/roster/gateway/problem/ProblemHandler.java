package io.roster.gateway.problem;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Renders {@link ProblemException} as {@code application/problem+json}, with Retry-After where it has one. */
@Singleton
@Produces(Problem.MEDIA_TYPE)
public class ProblemHandler implements ExceptionHandler<ProblemException, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, ProblemException exception) {
        return render(exception);
    }

    public static MutableHttpResponse<Problem> render(ProblemException exception) {
        MutableHttpResponse<Problem> response = HttpResponse.<Problem>status(exception.status())
                .contentType(Problem.MEDIA_TYPE)
                .body(exception.problem());
        if (exception.retryAfter() != null) {
            response.header("Retry-After", Long.toString(Math.max(1, exception.retryAfter().toSeconds())));
        }
        if (exception.status().getCode() == 401) {
            response.header("WWW-Authenticate", "Bearer");
        }
        if (exception.problem().errors().stream().anyMatch(e -> "body".equals(e.field()))) {
            // the rest of a refused streamed body will not be read: close rather than leave the client sending
            response.header("Connection", "close");
        }
        return response;
    }
}

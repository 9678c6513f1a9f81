package io.roster.gateway.problem;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.roster.operations.Refusal;
import jakarta.inject.Singleton;

/** Answers an operation's {@link Refusal} as the problem it is: 403, 422 or 404, naming the field. */
@Singleton
@Produces(Problem.MEDIA_TYPE)
public class RefusalHandler implements ExceptionHandler<Refusal, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, Refusal refusal) {
        return ProblemHandler.render(problem(refusal));
    }

    static ProblemException problem(Refusal refusal) {
        return switch (refusal.kind()) {
            case FORBIDDEN -> refusal.field() == null ? ProblemException.forbidden(refusal.getMessage())
                    : ProblemException.forbiddenField(refusal.code(), refusal.field(), refusal.getMessage());
            case UNPROCESSABLE -> ProblemException.unprocessable(refusal.code(), refusal.field(), refusal.getMessage());
            case NOT_FOUND -> ProblemException.notFound(refusal.getMessage());
        };
    }
}

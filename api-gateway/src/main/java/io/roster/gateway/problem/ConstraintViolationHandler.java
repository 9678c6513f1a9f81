package io.roster.gateway.problem;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.validation.exceptions.ConstraintExceptionHandler;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Constraint violations as a 400 problem whose errors name each field as the client sent it: {@code users},
 * {@code users[0].email}, or a query parameter such as {@code limit}.
 */
@Singleton
@Produces(Problem.MEDIA_TYPE)
@Replaces(ConstraintExceptionHandler.class)
public class ConstraintViolationHandler implements ExceptionHandler<ConstraintViolationException, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, ConstraintViolationException exception) {
        List<Problem.FieldError> errors = exception.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(field(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        String detail = errors.isEmpty() ? "The request is not valid."
                : errors.get(0).field() + ": " + errors.get(0).reason();
        return ProblemHandler.render(new ProblemException(HttpStatus.BAD_REQUEST, "invalid-request",
                "The request is not valid", detail, errors, null));
    }

    static String field(ConstraintViolation<?> violation) {
        List<Path.Node> nodes = new ArrayList<>();
        violation.getPropertyPath().forEach(nodes::add);
        StringBuilder field = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++) {
            Path.Node node = nodes.get(i);
            boolean bodyParameter = node.getKind() == ElementKind.PARAMETER && i < nodes.size() - 1;
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.CONSTRUCTOR || bodyParameter) {
                continue;
            }
            if (node.getKind() == ElementKind.CONTAINER_ELEMENT) {
                continue;
            }
            if (field.length() > 0) {
                field.append('.');
            }
            field.append(node.getName());
            if (node.getIndex() != null) {
                field.append('[').append(node.getIndex()).append(']');
            }
        }
        return field.toString();
    }
}

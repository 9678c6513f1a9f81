package io.roster.gateway.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.roster.gateway.problem.ProblemException;
import io.roster.gateway.problem.ProblemHandler;
import io.micronaut.http.HttpStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Authenticates every {@code /api/} request except login and invitation acceptance: resolves the bearer token to
 * a {@link Caller} and hands it to the controller as a request attribute. A missing, unknown, expired or ended
 * token gets 401 at once; an organization over its request rate gets 429 with Retry-After. Authorization happens
 * in the services, per object.
 */
@ServerFilter("/api/**")
public class AuthFilter {

    private static final Set<String> PUBLIC = Set.of("/api/v1/auth/login", "/api/v1/invitations/accept");

    private final Sessions sessions;
    private final OrgRateLimiter limiter;

    public AuthFilter(Sessions sessions, OrgRateLimiter limiter) {
        this.sessions = sessions;
        this.limiter = limiter;
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    public HttpResponse<?> authenticate(HttpRequest<?> request) {
        if (PUBLIC.contains(request.getPath()) || request.getPath().startsWith("/api/v1/openapi/")
                || request.getPath().startsWith("/api/v1/asyncapi/") || request.getPath().startsWith("/api/v1/schemas/")) {
            return null;
        }
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() < 8) {
            return ProblemHandler.render(ProblemException.unauthorized("Send 'Authorization: Bearer <token>'; "
                    + "get a token from POST /api/v1/auth/login."));
        }
        String client = request.getHeaders().get(HttpHeaders.USER_AGENT);
        Optional<Caller> caller = sessions.resolve(header.substring(7).strip(), client);
        if (caller.isEmpty()) {
            return ProblemHandler.render(ProblemException.unauthorized(
                    "The token is unknown, expired or was ended; log in again."));
        }
        Optional<Duration> wait = limiter.acquire(caller.get().orgId());
        if (wait.isPresent()) {
            return ProblemHandler.render(new ProblemException(HttpStatus.TOO_MANY_REQUESTS, "rate-limited",
                    "Too many requests", "Your organization is over its request rate; retry after the delay given.",
                    List.of(), wait.get()));
        }
        request.setAttribute(Caller.ATTRIBUTE, caller.get());
        return null;
    }
}

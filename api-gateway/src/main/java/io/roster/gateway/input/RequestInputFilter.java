package io.roster.gateway.input;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.roster.contracts.text.Text;
import io.roster.gateway.problem.ProblemException;
import io.roster.gateway.problem.ProblemHandler;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Refuses hostile input in the URL and headers of every API request before anything reads it, in one place:
 * a query parameter or path segment with NUL or a control character, a boolean parameter other than exactly
 * {@code true} or {@code false}, a {@code limit} that is not a number, two {@code Authorization} headers. Each is
 * 400 naming the parameter. A CORS preflight ({@code OPTIONS}) on any path is 403 {@code cross-origin}: no other
 * origin is allowed. (JSON bodies are held to the same rules by {@link StrictJson}.)
 */
@ServerFilter("/api/**")
public class RequestInputFilter implements Ordered {

    /** The query parameters that are booleans anywhere in the API. */
    static final Set<String> BOOLEANS = Set.of("upsert", "includeSubOrgs", "gzip", "remove", "create");
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,9}");

    @Override
    public int getOrder() {
        // before authentication: a request refused for its shape needs no session lookup
        return ServerFilterPhase.SECURITY.before();
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> check(HttpRequest<?> request) {
        ProblemException problem = problem(request);
        return problem == null ? null : ProblemHandler.render(problem);
    }

    static ProblemException problem(HttpRequest<?> request) {
        if (request.getMethod() == io.micronaut.http.HttpMethod.OPTIONS) {
            // every preflight gets the same answer, on every path, before authentication
            return new ProblemException(io.micronaut.http.HttpStatus.FORBIDDEN, "cross-origin",
                    "Cross-origin requests are not served", "The API answers requests from its own origin (the "
                    + "console it serves) and from servers; it allows no other origin.", List.of(), null);
        }
        if (request.getHeaders().getAll(HttpHeaders.AUTHORIZATION).size() > 1) {
            return ProblemException.invalid("Authorization", "is sent more than once; send one bearer token");
        }
        String path;
        try {
            // the path as the routes see it: %00 is a NUL
            path = java.net.URLDecoder.decode(request.getPath().replace("+", "%2B"),
                    java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return ProblemException.invalid("path", "is not a valid URL path");
        }
        if (!Text.isSingleLine(path)) {
            return ProblemException.invalid("path", "holds a NUL or a control character");
        }
        for (Map.Entry<String, List<String>> parameter : request.getParameters().asMap().entrySet()) {
            String name = parameter.getKey();
            if (!Text.isSingleLine(name)) {
                return ProblemException.invalid("query", "a parameter name holds a NUL or a control character");
            }
            for (String value : parameter.getValue()) {
                if (!Text.isSingleLine(value)) {
                    return ProblemException.invalid(name, Text.NOT_SINGLE_LINE);
                }
                if (BOOLEANS.contains(name) && !value.equals("true") && !value.equals("false")) {
                    return ProblemException.invalid(name, "must be true or false");
                }
                if (name.equals("limit") && !NUMBER.matcher(value).matches()) {
                    return ProblemException.invalid(name, "must be a whole number");
                }
            }
        }
        return null;
    }
}

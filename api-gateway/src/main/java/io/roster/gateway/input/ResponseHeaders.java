package io.roster.gateway.input;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Every API response carries authentication results or user data: {@code Cache-Control: no-store} (no proxy or
 * browser keeps a token, a profile or an export) and {@code X-Content-Type-Options: nosniff} (a CSV or a name is
 * never run as a page). Errors included.
 */
@ServerFilter("/api/**")
public class ResponseHeaders implements Ordered {

    /** First of all filters, so that it also sees the responses other filters give instead of a route's (401, 429). */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @ResponseFilter
    public void secure(MutableHttpResponse<?> response) {
        response.getHeaders().set("Cache-Control", "no-store");
        response.getHeaders().set("X-Content-Type-Options", "nosniff");
    }
}

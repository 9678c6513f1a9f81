package io.roster.gateway.auth;

import io.roster.contracts.user.Role;
import java.util.UUID;

/** The authenticated user behind a request, resolved from its bearer token. */
public record Caller(UUID userId, UUID orgId, Role role, String email, String client) {

    /** The request attribute that carries the caller from {@link AuthFilter} to the controllers. */
    public static final String ATTRIBUTE = "roster.caller";
}

package io.roster.gateway.users;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.roster.gateway.auth.Caller;
import io.roster.gateway.orgs.Access;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.UUID;

/** {@code GET /api/v1/orgs/{orgId}/users}: the users list, a page at a time. */
@Controller("/api/v1/orgs/{orgId}/users")
@ExecuteOn(TaskExecutors.BLOCKING)
public class UserController {

    private final Access access;
    private final UserQueries queries;

    public UserController(Access access, UserQueries queries) {
        this.access = access;
        this.queries = queries;
    }

    @Get
    public UserQueries.Page list(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID orgId,
                                 @QueryValue(defaultValue = "50") @Min(1) @Max(1000) int limit,
                                 @Nullable @QueryValue String cursor) {
        access.adminOf(caller, orgId);
        return queries.page(orgId, limit, cursor);
    }
}

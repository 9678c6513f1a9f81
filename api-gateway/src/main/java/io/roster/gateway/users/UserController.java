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
import io.roster.gateway.orgs.Permission;
import java.util.UUID;

/**
 * {@code GET /api/v1/orgs/{orgId}/users?sort=&role=&status=&tag=&q=&includeSubOrgs=&limit=&cursor=}: the users
 * list, for callers with the {@code view_users} permission.
 */
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
                                 @Nullable @QueryValue String sort, @Nullable @QueryValue String role,
                                 @Nullable @QueryValue String status, @Nullable @QueryValue String tag,
                                 @Nullable @QueryValue String q,
                                 @QueryValue(defaultValue = "false") boolean includeSubOrgs,
                                 @QueryValue(defaultValue = "50") int limit,
                                 @Nullable @QueryValue String cursor) {
        UserListQuery query = UserListQuery.parse(sort, role, status, tag, q, includeSubOrgs, limit);
        access.require(caller, orgId, Permission.view_users);
        return queries.page(orgId, query, cursor);
    }
}

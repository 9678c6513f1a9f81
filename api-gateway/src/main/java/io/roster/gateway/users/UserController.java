package io.roster.gateway.users;

import io.roster.gateway.problem.Problem;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.roster.gateway.problem.ProblemResponses;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.Explode;
import io.swagger.v3.oas.annotations.media.ArraySchema;
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
@ProblemResponses
@SecurityRequirement(name = "bearer")
public class UserController {

    /** What {@code sort} may be. */
    static final String SORT = "^(name|email|role|location|status|lastLogin|tags)(,(asc|desc))?$";

    private final Access access;
    private final UserQueries queries;

    public UserController(Access access, UserQueries queries) {
        this.access = access;
        this.queries = queries;
    }

    @Get
    public UserQueries.Page list(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID orgId,
                                 @Parameter(description = "A column, optionally with `,asc` or `,desc`",
                                         schema = @Schema(type = "string", pattern = SORT))
                                 @Nullable @QueryValue String sort,
                                 @Parameter(description = "Any of these roles, comma-separated",
                                         explode = Explode.FALSE, array = @ArraySchema(schema = @Schema(type = "string",
                                         allowableValues = {"Admin", "Staff", "User"})))
                                 @Nullable @QueryValue String role,
                                 @Parameter(description = "Any of these statuses, comma-separated",
                                         explode = Explode.FALSE, array = @ArraySchema(schema = @Schema(type = "string",
                                         allowableValues = {"pending", "active", "inactive"})))
                                 @Nullable @QueryValue String status, @Nullable @QueryValue String tag,
                                 @Nullable @QueryValue String q,
                                 @Parameter(required = false)
                                 @QueryValue(defaultValue = "false") boolean includeSubOrgs,
                                 @Parameter(required = false, schema = @Schema(type = "integer", minimum = "1",
                                         maximum = "1000", defaultValue = "50"))
                                 @QueryValue(defaultValue = "50") int limit,
                                 @Nullable @QueryValue String cursor) {
        UserListQuery query = UserListQuery.parse(sort, role, status, tag, q, includeSubOrgs, limit);
        access.require(caller, orgId, Permission.view_users);
        return queries.page(orgId, query, cursor);
    }
}

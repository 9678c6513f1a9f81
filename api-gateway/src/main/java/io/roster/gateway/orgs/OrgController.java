package io.roster.gateway.orgs;

import io.micronaut.core.annotation.Nullable;
import io.roster.gateway.problem.Problem;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.roster.gateway.problem.ProblemResponses;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.roster.contracts.user.Role;
import io.roster.gateway.auth.Caller;
import io.roster.gateway.problem.ProblemException;
import io.roster.persistence.Organizations;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Organizations: {@code GET /api/v1/orgs/{orgId}}, sub-organizations (a tree at most four levels deep, created
 * by admins), and the permission matrix ({@code GET/PUT /api/v1/orgs/{orgId}/permissions}, admins only).
 */
@Controller("/api/v1/orgs/{orgId}")
@ExecuteOn(TaskExecutors.BLOCKING)
@ProblemResponses
@SecurityRequirement(name = "bearer")
public class OrgController {

    private final OrgService orgs;

    public OrgController(OrgService orgs) {
        this.orgs = orgs;
    }

    /** An organization. */
    @Serdeable
    public record OrgView(UUID id, String name, @Nullable UUID parentId, int depth) {
        static OrgView of(Organizations.Org org) {
            return new OrgView(org.id(), org.name(), org.parentId(), org.depth());
        }
    }

    /** A new sub-organization. */
    @Serdeable
    public record NewOrg(@NotBlank @Size(max = 200) String name) {
    }

    /** The sub-organizations of one organization. */
    @Serdeable
    public record OrgList(List<OrgView> items) {
    }

    /** Each role's permissions. Admin always holds every permission and cannot be changed. */
    @Serdeable
    public record Matrix(@NotNull @Schema(implementation = RolesDocument.class) Map<Role, Set<Permission>> roles) {
    }

    /** How {@link Matrix#roles} looks in JSON, for the OpenAPI document: a role's name, its permissions. */
    @Serdeable
    record RolesDocument(@Nullable Set<Permission> Admin, @Nullable Set<Permission> Staff,
                         @Nullable Set<Permission> User) {
    }

    @Get
    public OrgView get(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID orgId) {
        return OrgView.of(orgs.get(caller, orgId));
    }

    @ApiResponse(responseCode = "201", description = "The new sub-organization",
            headers = @io.swagger.v3.oas.annotations.headers.Header(name = "Location", description = "The new resource",
                    schema = @Schema(type = "string")),
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = OrgView.class)))
    @ApiResponse(responseCode = "422", description = "The tree would be more than four levels deep",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post("/sub-orgs")
    public HttpResponse<OrgView> create(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID orgId,
                                        @Body @Valid NewOrg request) {
        if (!io.roster.contracts.text.Text.isSingleLine(request.name())) {
            throw ProblemException.invalid("name", io.roster.contracts.text.Text.NOT_SINGLE_LINE);
        }
        Organizations.Org child = orgs.createChild(caller, orgId, request.name().strip());
        return HttpResponse.<OrgView>status(HttpStatus.CREATED).header("Location", "/api/v1/orgs/" + child.id())
                .body(OrgView.of(child));
    }

    @Get("/sub-orgs")
    public OrgList children(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID orgId) {
        return new OrgList(orgs.children(caller, orgId).stream().map(OrgView::of).toList());
    }

    @Get("/permissions")
    public Matrix permissions(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID orgId) {
        return new Matrix(orgs.permissions(caller, orgId));
    }

    @Put("/permissions")
    public Matrix change(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID orgId,
                         @Body @Valid Matrix request) {
        return new Matrix(orgs.changePermissions(caller, orgId, request.roles()));
    }
}

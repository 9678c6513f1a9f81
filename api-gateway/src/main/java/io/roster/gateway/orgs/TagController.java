package io.roster.gateway.orgs;

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
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.roster.gateway.auth.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import java.util.UUID;

/**
 * An organization's tags: {@code GET/POST /api/v1/orgs/{orgId}/tags}, {@code DELETE .../tags/{tag}} (refused while
 * users still carry the tag). At most {@code ROSTER_MAX_TAGS_PER_ORG} tags per organization.
 */
@Controller("/api/v1/orgs/{orgId}/tags")
@ExecuteOn(TaskExecutors.BLOCKING)
@ProblemResponses
@SecurityRequirement(name = "bearer")
public class TagController {

    private final Access access;
    private final OrgTags tags;

    public TagController(Access access, OrgTags tags) {
        this.tags = tags;
        this.access = access;
    }

    /** A tag: 1 to 50 letters, digits, spaces, or _ - : . */
    @Serdeable
    public record Tag(@NotNull @Pattern(regexp = OrgTags.PATTERN) String name) {
    }

    /** An organization's tags, by name. */
    @Serdeable
    public record Tags(List<String> items) {
    }

    @Get
    public Tags list(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID orgId) {
        access.require(caller, orgId, Permission.view_users);
        return new Tags(tags.list(orgId));
    }

    @ApiResponse(responseCode = "201", description = "The tag, created",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Tag.class)))
    @ApiResponse(responseCode = "200", description = "The tag, which existed already",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Tag.class)))
    @ApiResponse(responseCode = "422", description = "The organization has as many tags as it may",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post
    public HttpResponse<Tag> create(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID orgId,
                                    @Body @Valid Tag tag) {
        access.require(caller, orgId, Permission.tag);
        String name = tag.name().strip();
        boolean created = tags.create(orgId, name, "name");
        return HttpResponse.status(created ? HttpStatus.CREATED : HttpStatus.OK).body(new Tag(name));
    }

    @ApiResponse(responseCode = "204", description = "The tag is deleted")
    @ApiResponse(responseCode = "409", description = "Users of the organization carry the tag",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Delete("/{tag}")
    public HttpResponse<Void> delete(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID orgId,
                                     @PathVariable String tag) {
        access.require(caller, orgId, Permission.tag);
        tags.delete(orgId, tag);
        return HttpResponse.noContent();
    }
}

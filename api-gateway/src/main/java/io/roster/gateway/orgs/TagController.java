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
import io.roster.gateway.problem.ProblemException;
import io.roster.persistence.Tx;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * An organization's tags: {@code GET/POST /api/v1/orgs/{orgId}/tags}, {@code DELETE .../tags/{tag}} (refused while
 * users still carry the tag). At most {@code ROSTER_MAX_TAGS_PER_ORG} tags per organization.
 */
@Controller("/api/v1/orgs/{orgId}/tags")
@ExecuteOn(TaskExecutors.BLOCKING)
@ProblemResponses
@SecurityRequirement(name = "bearer")
public class TagController {

    private final DataSource dataSource;
    private final Access access;
    private final OrgTags tags;

    public TagController(DataSource dataSource, Access access, OrgTags tags) {
        this.tags = tags;
        this.dataSource = dataSource;
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
        return new Tags(Tx.run(dataSource, c -> {
            List<String> names = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM org_tags WHERE org_id = ? ORDER BY name")) {
                ps.setObject(1, orgId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                }
            }
            return names;
        }));
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
        Tx.run(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT count(*) FROM users WHERE org_id = ? AND tags @> ARRAY[?]::text[]")) {
                ps.setObject(1, orgId);
                ps.setString(2, tag);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        throw new ProblemException(HttpStatus.CONFLICT, "tag-in-use", "The tag is in use",
                                rs.getInt(1) + " users carry '" + tag + "'; remove it from them first",
                                List.of(new io.roster.gateway.problem.Problem.FieldError("tag", "in use")), null);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM org_tags WHERE org_id = ? AND name = ?")) {
                ps.setObject(1, orgId);
                ps.setString(2, tag);
                if (ps.executeUpdate() == 0) {
                    throw ProblemException.notFound("Tag '" + tag + "'");
                }
            }
            return null;
        });
        return HttpResponse.noContent();
    }
}

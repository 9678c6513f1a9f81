package io.roster.gateway.invitations;

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
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.roster.gateway.GatewayConfig;
import io.roster.gateway.auth.Caller;
import io.roster.gateway.auth.PasswordHasher;
import io.roster.gateway.orgs.Access;
import io.roster.gateway.orgs.Permission;
import io.roster.gateway.problem.ProblemException;
import io.roster.persistence.Invitations;
import io.roster.persistence.Organizations;
import io.roster.persistence.Tx;
import io.roster.persistence.Users;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Invitations: {@code POST /api/v1/invitations/accept} {token, password} (no bearer: the token is the credential),
 * and, for callers with the {@code invite} permission, {@code POST /api/v1/users/{userId}/invitation} (resend: a new
 * token, the old one dead) and {@code DELETE /api/v1/users/{userId}/invitation} (revoke).
 */
@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
public class InvitationController {

    private final DataSource dataSource;
    private final Access access;
    private final PasswordHasher hasher;
    private final GatewayConfig config;
    private final Clock clock;

    public InvitationController(DataSource dataSource, Access access, PasswordHasher hasher, GatewayConfig config,
                                Clock clock) {
        this.dataSource = dataSource;
        this.access = access;
        this.hasher = hasher;
        this.config = config;
        this.clock = clock;
    }

    /** The token from the invitation link, and the new password (12 to 1024 characters). */
    @Serdeable
    public record Acceptance(@NotBlank @Size(max = 200) String token, @NotNull @Size(min = 12, max = 1024) String password) {
    }

    @ApiResponse(responseCode = "204", description = "The password is set; log in with it")
    @ApiResponse(responseCode = "400",
            description = "Invalid request or a password the policy refuses; `errors` names the field",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "No invitation was ever sent with this token",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "410",
            description = "The invitation was used, has expired, was revoked or replaced; `type` says which",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "429", description = "Too many requests (with `Retry-After`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post("/invitations/accept")
    public HttpResponse<Void> accept(@Body @Valid Acceptance request) {
        io.roster.gateway.auth.PasswordPolicy.require(request.password());
        String hash = hasher.hash(request.password());
        Invitations.Outcome outcome = Tx.run(dataSource, c -> Invitations.accept(c, request.token().strip(), hash,
                clock.instant()));
        return switch (outcome) {
            case ACCEPTED -> HttpResponse.noContent();
            case UNKNOWN -> throw ProblemException.notFound("Invitation");
            case USED -> throw gone("invitation-used", "This invitation was used already; log in with your password.");
            case EXPIRED -> throw gone("invitation-expired", "This invitation has expired; ask your admin to resend it.");
            case REVOKED -> throw gone("invitation-revoked", "This invitation was revoked or replaced by a newer one.");
        };
    }

    @ProblemResponses
    @SecurityRequirement(name = "bearer")
    @ApiResponse(responseCode = "202", description = "A new invitation mail is on its way; the old link is dead")
    @ApiResponse(responseCode = "409", description = "The user is not pending",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post("/users/{userId}/invitation")
    public HttpResponse<Void> resend(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID userId) {
        Access.UserRef ref = access.user(caller, userId, Permission.invite);
        Tx.run(dataSource, c -> {
            var user = Users.find(c, userId);
            if (user.status() != io.roster.contracts.user.UserStatus.pending) {
                throw new ProblemException(HttpStatus.CONFLICT, "not-pending", "The user is not pending",
                        "The user has logged in already; there is no invitation to resend.", List.of(), null);
            }
            Organizations.Org org = Organizations.find(c, ref.orgId()).orElseThrow();
            Invitations.issue(c, userId, user.email(), user.firstName(), org.name(), config.invitationTtl(),
                    config.publicUrl(), clock.instant().truncatedTo(ChronoUnit.MICROS));
            return null;
        });
        return HttpResponse.accepted();
    }

    @ProblemResponses
    @SecurityRequirement(name = "bearer")
    @ApiResponse(responseCode = "204", description = "The invitation is revoked")
    @ApiResponse(responseCode = "409", description = "The user is not pending",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Delete("/users/{userId}/invitation")
    public HttpResponse<Void> revoke(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID userId) {
        access.user(caller, userId, Permission.invite);
        int revoked = Tx.run(dataSource, c -> Invitations.revoke(c, userId, clock.instant()));
        if (revoked == 0) {
            throw ProblemException.notFound("An open invitation of user " + userId);
        }
        return HttpResponse.noContent();
    }

    private static ProblemException gone(String slug, String detail) {
        return new ProblemException(HttpStatus.GONE, slug, "The invitation cannot be used", detail,
                List.of(new io.roster.gateway.problem.Problem.FieldError("token", detail)), null);
    }
}

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
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.annotation.Header;
import io.roster.gateway.auth.AuthController;
import io.roster.gateway.auth.Caller;
import io.roster.gateway.auth.LoginService;
import io.roster.gateway.problem.ProblemException;
import io.roster.persistence.Invitations;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;

/**
 * Invitations: {@code POST /api/v1/invitations/accept} {token, password} (no bearer: the token is the credential),
 * and, for callers with the {@code invite} permission, {@code POST /api/v1/users/{userId}/invitation} (resend: a new
 * token, the old one dead) and {@code DELETE /api/v1/users/{userId}/invitation} (revoke).
 */
@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
public class InvitationController {

    private final InvitationService invitations;
    private final LoginService logins;

    public InvitationController(InvitationService invitations, LoginService logins) {
        this.invitations = invitations;
        this.logins = logins;
    }

    /** The token from the invitation link, and the new password (12 to 1024 characters). */
    @Serdeable
    public record Acceptance(@NotBlank @Size(max = 200) String token, @NotNull @Size(min = 12, max = 1024) String password) {
    }

    @ApiResponse(responseCode = "200", description = "The password is set and the user signed in: a new session, "
            + "as a login gives",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = AuthController.LoginResponse.class)))
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
    public AuthController.LoginResponse accept(@Body @Valid Acceptance request,
                                               @Nullable @Header(HttpHeaders.USER_AGENT) String client) {
        Invitations.Acceptance acceptance = invitations.accept(request.token(), request.password());
        return switch (acceptance.outcome()) {
            case ACCEPTED -> AuthController.LoginResponse.of(logins.signIn(acceptance.userId(), client));
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
        invitations.resend(caller, userId);
        return HttpResponse.accepted();
    }

    @ProblemResponses
    @SecurityRequirement(name = "bearer")
    @ApiResponse(responseCode = "204", description = "The invitation is revoked")
    @ApiResponse(responseCode = "409", description = "The user is not pending",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Delete("/users/{userId}/invitation")
    public HttpResponse<Void> revoke(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID userId) {
        invitations.revoke(caller, userId);
        return HttpResponse.noContent();
    }

    private static ProblemException gone(String slug, String detail) {
        return new ProblemException(HttpStatus.GONE, slug, "The invitation cannot be used", detail,
                List.of(new io.roster.gateway.problem.Problem.FieldError("token", detail)), null);
    }
}

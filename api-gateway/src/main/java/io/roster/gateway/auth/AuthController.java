package io.roster.gateway.auth;

import io.roster.gateway.problem.Problem;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.roster.gateway.problem.ProblemResponses;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.roster.contracts.user.Role;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.UUID;

/** {@code POST /api/v1/auth/login} and {@code POST /api/v1/auth/logout}. */
@Controller("/api/v1/auth")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AuthController {

    private final LoginService logins;
    private final Sessions sessions;

    public AuthController(LoginService logins, Sessions sessions) {
        this.logins = logins;
        this.sessions = sessions;
    }

    /** Login credentials. */
    @Serdeable
    public record LoginRequest(@NotBlank @Size(max = 254) String email, @NotBlank @Size(max = 1024) String password) {
    }

    /** The user a token belongs to. */
    @Serdeable
    public record LoginUser(UUID id, UUID orgId, String email, String firstName, String lastName, Role role) {
    }

    /** A new session. */
    @Serdeable
    public record LoginResponse(String token, Instant expiresAt, LoginUser user) {
        public static LoginResponse of(LoginService.Login login) {
            var account = login.account();
            return new LoginResponse(login.token(), login.expiresAt(), new LoginUser(account.id(), account.orgId(),
                    account.email(), account.firstName(), account.lastName(), account.role()));
        }
    }

    @ApiResponse(responseCode = "200", description = "A new session: the bearer token and the user",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = LoginResponse.class)))
    @ApiResponse(responseCode = "400", description = "Invalid request; `errors` names the field",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "The email or the password is wrong (the same answer for both)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "429", description = "Too many failed logins for this account (with `Retry-After`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post("/login")
    public LoginResponse login(@Body @Valid LoginRequest request, @Nullable @Header(HttpHeaders.USER_AGENT) String client) {
        return LoginResponse.of(logins.login(request.email(), request.password(), client));
    }

    @SecurityRequirement(name = "bearer")
    @ApiResponse(responseCode = "204", description = "The session has ended")
    @ApiResponse(responseCode = "401", description = "No valid bearer token (with `WWW-Authenticate: Bearer`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post("/logout")
    public HttpResponse<Void> logout(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                     @Header(HttpHeaders.AUTHORIZATION) String authorization) {
        sessions.end(authorization.substring(7).strip());
        return HttpResponse.noContent();
    }
}

package io.roster.gateway.users;

import io.roster.contracts.event.UserSnapshot;
import io.roster.contracts.user.UserStatus;
import io.roster.contracts.user.Role;
import io.micronaut.core.annotation.Nullable;
import io.roster.gateway.problem.Problem;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.roster.gateway.problem.ProblemResponses;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.roster.gateway.auth.Caller;
import io.roster.gateway.problem.ProblemException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One user: {@code GET/PATCH /api/v1/users/{userId}}, {@code PUT .../password}, {@code POST .../logout},
 * {@code GET .../activity}.
 */
@Controller("/api/v1/users/{userId}")
@ExecuteOn(TaskExecutors.BLOCKING)
@ProblemResponses
@SecurityRequirement(name = "bearer")
public class UserProfileController {

    private final UserActions actions;
    private final ActivityLog activity;

    public UserProfileController(UserActions actions, ActivityLog activity) {
        this.actions = actions;
        this.activity = activity;
    }

    /** A new password: 12 to 1024 characters. */
    @Serdeable
    public record NewPassword(@NotNull @Size(min = 12, max = 1024) String password) {
    }

    /** One action on a user. */
    @Serdeable
    public record ActivityItem(Instant at, String action, @Nullable UUID actorId, @Nullable String client,
                               @Nullable String details) {
    }

    /** The latest actions on a user, newest first. */
    @Serdeable
    public record ActivityPage(List<ActivityItem> items) {
    }

    /** A user's profile, as the API shows it. */
    @Serdeable
    public record Profile(UUID id, UUID orgId, String email, String firstName, String lastName, Role role,
                          @Nullable String location, List<String> tags, UserStatus status,
                          @Nullable Instant lastLoginAt, @Nullable Instant invitedAt, Instant updatedAt) {
        static Profile of(UserSnapshot user) {
            return new Profile(user.id(), user.orgId(), user.email(), user.firstName(), user.lastName(), user.role(),
                    user.location(), user.tags(), user.status(), user.lastLoginAt(), user.invitedAt(),
                    user.updatedAt());
        }
    }

    @Get
    public Profile get(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID userId) {
        return Profile.of(actions.get(caller, userId));
    }

    @ApiResponse(responseCode = "422", description = "The email can never change (`email-immutable`); the "
            + "organization would lose its last admin (`last-admin`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Patch
    public Profile edit(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID userId,
                        @Body Map<String, Object> patch) {
        if (patch == null || patch.isEmpty()) {
            throw ProblemException.invalid("body", "send at least one of firstName, lastName, role, location");
        }
        return Profile.of(actions.edit(caller, userId, patch));
    }

    @ApiResponse(responseCode = "204", description = "The password is set and every session of the user has ended")
    @Put("/password")
    public HttpResponse<Void> password(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID userId,
                                       @Body @Valid NewPassword request) {
        actions.changePassword(caller, userId, request.password());
        return HttpResponse.noContent();
    }

    @ApiResponse(responseCode = "204", description = "Every session of the user has ended")
    @Post("/logout")
    public HttpResponse<Void> logout(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID userId) {
        actions.forceLogout(caller, userId);
        return HttpResponse.noContent();
    }

    @Get("/activity")
    public ActivityPage activity(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID userId,
                                 @io.swagger.v3.oas.annotations.Parameter(required = false)
            @QueryValue(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw ProblemException.invalid("limit", "must be between 1 and 1000");
        }
        return new ActivityPage(activity.latest(caller, userId, limit).stream().map(e -> new ActivityItem(e.at(),
                e.action(), e.actorId(), e.client(), e.details())).toList());
    }

    /** Where the activity log went, and how many entries it holds. */
    @Serdeable
    public record ActivityMailed(UUID mailId, String to, int entries, int totalEntries) {
    }

    /**
     * Mails the user's activity log, as a CSV attachment (at, action, actor, client, details; newest first, at most
     * {@link io.roster.operations.MailActivityLog#MAILED_ENTRIES}), to the requesting admin's own email. The mail leaves through the outbox
     * with an activity entry saying who asked; 202 once both are committed.
     */
    @ApiResponse(responseCode = "202", description = "The log is on its way to the caller's email",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ActivityMailed.class)))
    @Post("/activity/email")
    public HttpResponse<ActivityMailed> emailActivity(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                                      @PathVariable UUID userId) {
        io.roster.operations.MailActivityLog.Mailed sent = activity.mail(caller, userId);
        ActivityMailed mailed = new ActivityMailed(sent.mailId(), sent.to(), sent.entries(), sent.totalEntries());
        return HttpResponse.accepted().body(mailed);
    }
}

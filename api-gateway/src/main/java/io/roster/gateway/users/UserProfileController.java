package io.roster.gateway.users;

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
import io.roster.contracts.Keys;
import io.roster.contracts.csv.CsvCells;
import io.roster.contracts.event.MailMessage;
import io.roster.contracts.event.UserSnapshot;
import io.roster.contracts.serde.Json;
import io.roster.gateway.auth.Caller;
import io.roster.gateway.orgs.Access;
import io.roster.gateway.orgs.Permission;
import io.roster.gateway.problem.ProblemException;
import io.roster.persistence.Activity;
import io.roster.persistence.Outbox;
import io.roster.persistence.Tx;
import io.roster.persistence.Users;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

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
    private final Access access;
    private final DataSource dataSource;

    public UserProfileController(UserActions actions, Access access, DataSource dataSource) {
        this.actions = actions;
        this.access = access;
        this.dataSource = dataSource;
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
        access.user(caller, userId, Permission.view_activity);
        return new ActivityPage(Tx.run(dataSource, c -> {
            List<ActivityItem> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT at, action, actor_id, client, details "
                    + "FROM user_activity WHERE user_id = ? ORDER BY at DESC, id DESC LIMIT ?")) {
                ps.setObject(1, userId);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(new ActivityItem(rs.getTimestamp(1).toInstant(), rs.getString(2),
                                rs.getObject(3, UUID.class), rs.getString(4), rs.getString(5)));
                    }
                }
            }
            return items;
        }));
    }

    /** Entries in a mailed activity log: the newest, so that the mail stays small. */
    public static final int MAILED_ACTIVITY_ENTRIES = 2000;

    /** Where the activity log went, and how many entries it holds. */
    @Serdeable
    public record ActivityMailed(UUID mailId, String to, int entries, int totalEntries) {
    }

    /**
     * Mails the user's activity log, as a CSV attachment (at, action, actor, client, details; newest first, at most
     * {@link #MAILED_ACTIVITY_ENTRIES}), to the requesting admin's own email. The mail leaves through the outbox
     * with an activity entry saying who asked; 202 once both are committed.
     */
    @ApiResponse(responseCode = "202", description = "The log is on its way to the caller's email",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ActivityMailed.class)))
    @Post("/activity/email")
    public HttpResponse<ActivityMailed> emailActivity(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                                      @PathVariable UUID userId) {
        access.user(caller, userId, Permission.view_activity);
        UUID mailId = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        ActivityMailed mailed = Tx.run(dataSource, c -> {
            UserSnapshot user = Users.find(c, userId);
            if (user == null) {
                throw ProblemException.notFound("User " + userId);
            }
            int total;
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM user_activity WHERE user_id = ?")) {
                ps.setObject(1, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getInt(1);
                }
            }
            java.io.StringWriter text = new java.io.StringWriter();
            int entries = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT a.at, a.action, coalesce(u.email, a.actor_id::text), "
                    + "a.client, a.details FROM user_activity a LEFT JOIN users u ON u.id = a.actor_id "
                    + "WHERE a.user_id = ? ORDER BY a.at DESC, a.id DESC LIMIT ?");
                 org.apache.commons.csv.CSVPrinter csv = new org.apache.commons.csv.CSVPrinter(text,
                         org.apache.commons.csv.CSVFormat.RFC4180.builder()
                                 .setHeader("at", "action", "actor", "client", "details").get())) {
                ps.setObject(1, userId);
                ps.setInt(2, MAILED_ACTIVITY_ENTRIES);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        csv.printRecord(rs.getTimestamp(1).toInstant().toString(), CsvCells.neutralise(rs.getString(2)),
                                CsvCells.neutralise(rs.getString(3)), CsvCells.neutralise(rs.getString(4)),
                                CsvCells.neutralise(rs.getString(5)));
                        entries++;
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            String body = "The activity log of " + user.email() + " is attached: " + entries
                    + (entries < total ? " newest of " + total + " entries." : " entries.") + "\n";
            MailMessage mail = new MailMessage(mailId, caller.email(), "Activity log of " + user.email(), body,
                    "activity-log", userId, List.of(new MailMessage.Attachment("activity-" + user.email() + ".csv",
                    "text/csv; charset=utf-8", text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))));
            Outbox.append(c, List.of(Outbox.Entry.mail(mailId, Keys.user(userId), Json.writeString(mail))));
            Activity.append(c, List.of(new Activity.Entry(userId, user.orgId(), caller.userId(),
                    "activity-log-mailed", caller.client(), "to " + caller.email(), now)));
            return new ActivityMailed(mailId, caller.email(), entries, total);
        });
        return HttpResponse.accepted().body(mailed);
    }
}

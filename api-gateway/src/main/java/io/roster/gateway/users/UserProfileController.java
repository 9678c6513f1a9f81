package io.roster.gateway.users;

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
import io.roster.contracts.event.UserSnapshot;
import io.roster.gateway.auth.Caller;
import io.roster.gateway.orgs.Access;
import io.roster.gateway.orgs.Permission;
import io.roster.gateway.problem.ProblemException;
import io.roster.persistence.Tx;
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
    public record ActivityItem(Instant at, String action, UUID actorId, String client, String details) {
    }

    /** The latest actions on a user, newest first. */
    @Serdeable
    public record ActivityPage(List<ActivityItem> items) {
    }

    @Get
    public UserSnapshot get(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID userId) {
        return actions.get(caller, userId);
    }

    @Patch
    public UserSnapshot edit(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID userId,
                             @Body Map<String, Object> patch) {
        if (patch == null || patch.isEmpty()) {
            throw ProblemException.invalid("body", "send at least one of firstName, lastName, role, location");
        }
        return actions.edit(caller, userId, patch);
    }

    @Put("/password")
    public HttpResponse<Void> password(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID userId,
                                       @Body @Valid NewPassword request) {
        actions.changePassword(caller, userId, request.password());
        return HttpResponse.noContent();
    }

    @Post("/logout")
    public HttpResponse<Void> logout(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID userId) {
        actions.forceLogout(caller, userId);
        return HttpResponse.noContent();
    }

    @Get("/activity")
    public ActivityPage activity(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID userId,
                                 @QueryValue(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw ProblemException.invalid("limit", "must be between 1 and 1000");
        }
        access.user(caller, userId, Permission.view_activity);
        return new ActivityPage(Tx.run(dataSource, c -> {
            List<ActivityItem> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT at, action, actor_id, client, details FROM activity "
                    + "WHERE user_id = ? ORDER BY at DESC, id DESC LIMIT ?")) {
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
}

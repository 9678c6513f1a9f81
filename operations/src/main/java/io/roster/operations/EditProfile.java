package io.roster.operations;

import io.roster.contracts.event.UserSnapshot;
import io.roster.contracts.event.UserUpdated;
import io.roster.contracts.user.Role;
import io.roster.persistence.Users;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Edits one user's profile: names, location and role (the email never changes). A role is given only within the
 * caller's ceiling ({@link RoleCeiling}), and an organization's last admin keeps the Admin role
 * ({@link LastAdminRule}). One {@code roster.user.updated} event and activity entry, in the caller's transaction.
 */
public final class EditProfile {

    /**
     * The fields to set, each with its new value: {@code given} names the fields present (a present null clears a
     * last name or location); the values are already checked as single-line text of the allowed length.
     */
    public record Changes(Set<String> given, String firstName, String lastName, String location, Role role) {
    }

    private EditProfile() {
    }

    /** @return the user as they are now */
    public static UserSnapshot apply(Connection connection, UUID userId, Changes changes, Actor actor,
                                     Role actorRole) throws SQLException {
        if (changes.role() != null && !RoleCeiling.mayGrant(actorRole, changes.role())) {
            throw new Refusal(Refusal.Kind.FORBIDDEN, "role-not-allowed", "role", RoleCeiling.refusal(actorRole));
        }
        UserSnapshot before = Users.find(connection, userId);
        if (before == null) {
            throw new Refusal(Refusal.Kind.NOT_FOUND, "not-found", null, "User " + userId);
        }
        if (before.role() == Role.Admin && changes.role() != null && changes.role() != Role.Admin
                && LastAdminRule.isLastAdmin(connection, before.orgId(), userId)) {
            throw new Refusal(Refusal.Kind.UNPROCESSABLE, "last-admin", "role",
                    "this is the organization's last admin; make another user Admin first");
        }
        Set<String> given = changes.given();
        UserSnapshot after = Users.updateProfile(connection, userId,
                given.contains("firstName") ? changes.firstName() : before.firstName(),
                given.contains("lastName") ? (changes.lastName() == null ? "" : changes.lastName())
                        : before.lastName(),
                changes.role() != null ? changes.role() : before.role(),
                given.contains("location") ? changes.location() : before.location());
        Users.recordChange(connection, UUID.randomUUID(), new UserUpdated(after.id(), after.orgId(),
                after.firstName(), after.lastName(), after.role(), after.location(), after.tags(), after.updatedAt(),
                actor.userId()), after, actor.userId(), actor.client(), "fields " + new TreeSet<>(given));
        return after;
    }
}

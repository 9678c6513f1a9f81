package io.roster.gateway.users;

import io.roster.persistence.repositories.ManagedTx;
import io.roster.contracts.event.UserSnapshot;
import io.roster.contracts.user.Role;
import io.roster.gateway.auth.Caller;
import io.roster.gateway.auth.PasswordHasher;
import io.roster.gateway.orgs.Access;
import io.roster.gateway.orgs.Permission;
import io.roster.gateway.problem.ProblemException;
import io.roster.operations.Actor;
import io.roster.operations.EditProfile;
import io.roster.operations.EndSessions;
import io.roster.persistence.Users;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The single actions on one user: each is authorized here for the user's id (reach and permission, {@link Access}),
 * its input checked, then applied by its operation ({@link EditProfile}, {@link EndSessions}) in one transaction
 * with its change event and activity entry.
 */
@Singleton
public class UserActions {

    private static final Set<String> EDITABLE = Set.of("firstName", "lastName", "role", "location");

    private final ManagedTx tx;
    private final Access access;
    private final PasswordHasher hasher;

    public UserActions(ManagedTx tx, Access access, PasswordHasher hasher) {
        this.tx = tx;
        this.access = access;
        this.hasher = hasher;
    }

    public UserSnapshot get(Caller caller, UUID userId) {
        access.user(caller, userId, Permission.view_users);
        return tx.run(c -> Users.find(c, userId));
    }

    /**
     * Applies the fields present in {@code patch}. The email can never change (422); unknown fields are refused
     * (400); only admins change roles; the last admin of an organization keeps the Admin role.
     */
    public UserSnapshot edit(Caller caller, UUID userId, Map<String, Object> patch) {
        if (patch.containsKey("email")) {
            throw ProblemException.unprocessable("email-immutable", "email",
                    "an account's email can never change; invite the new address and delete this account instead");
        }
        for (String field : patch.keySet()) {
            if (!EDITABLE.contains(field)) {
                throw ProblemException.invalid(field, "is not a field that can be edited (firstName, lastName, role, "
                        + "location)");
            }
        }
        access.user(caller, userId, Permission.edit);
        String firstName = text(patch, "firstName", 100, false);
        String lastName = text(patch, "lastName", 100, true);
        String location = text(patch, "location", 200, true);
        Role role = null;
        if (patch.containsKey("role")) {
            role = patch.get("role") instanceof String r ? Role.parse(r) : null;
            if (role == null) {
                throw ProblemException.invalid("role", "must be one of Admin, Staff, User");
            }
            access.requireAdmin(caller);
        }
        EditProfile.Changes changes = new EditProfile.Changes(Set.copyOf(patch.keySet()), firstName, lastName,
                location, role);
        return tx.run(c -> EditProfile.apply(c, userId, changes, actor(caller), caller.role()));
    }

    /** Sets the user's password and ends all their sessions at once. */
    public void changePassword(Caller caller, UUID userId, String password) {
        access.user(caller, userId, Permission.change_password);
        io.roster.gateway.auth.PasswordPolicy.require(password);
        String hash = hasher.hash(password);
        tx.run(c -> {
            EndSessions.setPassword(c, userId, hash, actor(caller));
            return null;
        });
    }

    /** Ends all the user's sessions at once: their next request with any old token gets 401. */
    public void forceLogout(Caller caller, UUID userId) {
        access.user(caller, userId, Permission.force_logout);
        tx.run(c -> {
            EndSessions.forceLogout(c, userId, actor(caller));
            return null;
        });
    }

    private static Actor actor(Caller caller) {
        return new Actor(caller.userId(), null, caller.client());
    }

    private static String text(Map<String, Object> patch, String field, int max, boolean nullable) {
        if (!patch.containsKey(field)) {
            return null;
        }
        Object value = patch.get(field);
        if (value == null) {
            if (nullable) {
                return null;
            }
            throw ProblemException.invalid(field, "must not be null");
        }
        if (!(value instanceof String s)) {
            throw ProblemException.invalid(field, "must be a string");
        }
        if (!io.roster.contracts.text.Text.isSingleLine(s)) {
            throw ProblemException.invalid(field, io.roster.contracts.text.Text.NOT_SINGLE_LINE);
        }
        String stripped = s.strip();
        if (!nullable && stripped.isEmpty()) {
            throw ProblemException.invalid(field, "must not be blank");
        }
        if (stripped.length() > max) {
            throw ProblemException.invalid(field, "must be at most " + max + " characters");
        }
        return stripped.isEmpty() ? null : stripped;
    }
}

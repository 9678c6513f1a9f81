package io.roster.operations;

import io.roster.contracts.event.UserLoggedOut;
import io.roster.contracts.event.UserSnapshot;
import io.roster.persistence.Users;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Ends every session of one user at once (their next request with any old token is refused): a forced logout, or a
 * new password (which does the same). One {@code roster.user.logged-out} event and activity entry saying why.
 */
public final class EndSessions {

    private EndSessions() {
    }

    /** A forced logout. */
    public static void forceLogout(Connection connection, UUID userId, Actor actor) throws SQLException {
        apply(connection, userId, null, "forced", actor);
    }

    /** A new password (already hashed), with every session ended. */
    public static void setPassword(Connection connection, UUID userId, String passwordHash, Actor actor)
            throws SQLException {
        apply(connection, userId, passwordHash, "password-changed", actor);
    }

    private static void apply(Connection connection, UUID userId, String passwordHash, String reason, Actor actor)
            throws SQLException {
        UserSnapshot after = Users.endSessions(connection, userId, passwordHash);
        Users.recordChange(connection, UUID.randomUUID(), new UserLoggedOut(after.id(), after.orgId(), reason,
                after.updatedAt(), actor.userId()), after, actor.userId(), actor.client(), reason);
    }
}

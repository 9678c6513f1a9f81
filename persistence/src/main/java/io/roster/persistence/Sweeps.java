package io.roster.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

/**
 * Rows that only pile up unless something deletes them: expired sessions (no request can use them) and login
 * failures older than any lockout window. The workers' sweeper calls these a bounded number of rows at a time.
 */
public final class Sweeps {

    /** How long a failed login is kept: the longest lockout window a gateway accepts. */
    public static final Duration LOGIN_FAILURE_RETENTION = Duration.ofDays(1);

    private Sweeps() {
    }

    /** Deletes at most {@code limit} sessions that expired before {@code now}. @return how many */
    public static int expiredSessions(Connection connection, Instant now, int limit) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM sessions WHERE token_hash IN ("
                + "SELECT token_hash FROM sessions WHERE expires_at < ? LIMIT ?)")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setInt(2, limit);
            return ps.executeUpdate();
        }
    }

    /** Deletes at most {@code limit} login failures older than {@link #LOGIN_FAILURE_RETENTION}. @return how many */
    public static int oldLoginFailures(Connection connection, Instant now, int limit) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM login_failures WHERE ctid IN ("
                + "SELECT ctid FROM login_failures WHERE failed_at < ? LIMIT ?)")) {
            ps.setTimestamp(1, Timestamp.from(now.minus(LOGIN_FAILURE_RETENTION)));
            ps.setInt(2, limit);
            return ps.executeUpdate();
        }
    }
}

package io.roster.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** The {@code login_failures} table: each failed login of an email, when. */
public final class LoginFailures {

    /** How many of an email's recent failures were counted (at most the limit asked), and the oldest of them. */
    public record Recent(int count, Instant oldest) {
    }

    private LoginFailures() {
    }

    /** Serializes the logins of one email until the transaction ends (a transaction-scoped advisory lock). */
    public static void lock(Connection connection, String email) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT pg_advisory_xact_lock(hashtext('roster-login:' || ?))")) {
            ps.setString(1, email);
            ps.execute();
        }
    }

    /** The email's latest failures after {@code since}, at most {@code limit} of them. */
    public static Recent recent(Connection connection, String email, Instant since, int limit) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT min(failed_at), count(*) FROM ("
                + "SELECT failed_at FROM login_failures WHERE email = ? AND failed_at > ? "
                + "ORDER BY failed_at DESC LIMIT ?) recent")) {
            ps.setString(1, email);
            ps.setTimestamp(2, Timestamp.from(since));
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Timestamp oldest = rs.getTimestamp(1);
                return new Recent(rs.getInt(2), oldest == null ? null : oldest.toInstant());
            }
        }
    }

    public static void record(Connection connection, String email) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO login_failures (email) VALUES (?)")) {
            ps.setString(1, email);
            ps.executeUpdate();
        }
    }

    public static void clear(Connection connection, String email) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM login_failures WHERE email = ?")) {
            ps.setString(1, email);
            ps.executeUpdate();
        }
    }
}

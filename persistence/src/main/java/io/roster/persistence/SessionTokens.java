package io.roster.persistence;

import io.roster.contracts.user.Role;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** The {@code sessions} table: a bearer token's hash, whose session it is, until when. */
public final class SessionTokens {

    /** The user a live session belongs to. */
    public record Holder(UUID userId, UUID orgId, Role role, String email) {
    }

    private SessionTokens() {
    }

    public static void insert(Connection connection, byte[] tokenHash, UUID userId, String client, Instant expiresAt)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT INTO sessions (token_hash, user_id, client, expires_at) VALUES (?, ?, ?, ?)")) {
            ps.setBytes(1, tokenHash);
            ps.setObject(2, userId);
            ps.setString(3, client);
            ps.setTimestamp(4, Timestamp.from(expiresAt));
            ps.executeUpdate();
        }
    }

    /** The holder of the session with {@code tokenHash} if it is live at {@code now}. */
    public static Optional<Holder> live(Connection connection, byte[] tokenHash, Instant now) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT u.id, u.org_id, u.role, u.email FROM sessions s "
                + "JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?")) {
            ps.setBytes(1, tokenHash);
            ps.setTimestamp(2, Timestamp.from(now));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Holder(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        Role.valueOf(rs.getString(3)), rs.getString(4))) : Optional.empty();
            }
        }
    }

    public static void delete(Connection connection, byte[] tokenHash) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM sessions WHERE token_hash = ?")) {
            ps.setBytes(1, tokenHash);
            ps.executeUpdate();
        }
    }
}

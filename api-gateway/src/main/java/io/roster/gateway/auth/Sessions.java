package io.roster.gateway.auth;

import io.roster.contracts.user.Role;
import io.roster.persistence.Tx;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Opaque bearer tokens: 256 random bits, given to the client once and stored only as their SHA-256 hash, with an
 * expiry. Deleting a user's rows ends all their sessions at once.
 */
@Singleton
public class Sessions {

    private final DataSource dataSource;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public Sessions(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** A new session for {@code userId}: the token to hand out and when it expires. */
    public record Issued(String token, Instant expiresAt) {
    }

    public Issued issue(UUID userId, String client, Duration ttl) {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Instant expiresAt = clock.instant().plus(ttl);
        Tx.run(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO sessions (token_hash, user_id, client, expires_at) VALUES (?, ?, ?, ?)")) {
                ps.setBytes(1, hash(token));
                ps.setObject(2, userId);
                ps.setString(3, client);
                ps.setTimestamp(4, Timestamp.from(expiresAt));
                return ps.executeUpdate();
            }
        });
        return new Issued(token, expiresAt);
    }

    /** The caller of a live session, or empty for an unknown, expired or ended one. */
    public Optional<Caller> resolve(String token, String client) {
        return Tx.run(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT u.id, u.org_id, u.role, u.email FROM sessions s "
                    + "JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?")) {
                ps.setBytes(1, hash(token));
                ps.setTimestamp(2, Timestamp.from(clock.instant()));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<Caller>empty();
                    }
                    return Optional.of(new Caller(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            Role.valueOf(rs.getString(3)), rs.getString(4), client));
                }
            }
        });
    }

    public void end(String token) {
        Tx.run(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE token_hash = ?")) {
                ps.setBytes(1, hash(token));
                return ps.executeUpdate();
            }
        });
    }

    private static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

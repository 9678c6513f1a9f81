package io.roster.gateway.auth;

import io.roster.persistence.repositories.SessionRepository;
import io.roster.persistence.repositories.SessionRow;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * Opaque bearer tokens: 256 random bits, given to the client once and stored only as their SHA-256 hash, with an
 * expiry. Deleting a user's rows ends all their sessions at once.
 */
@Singleton
public class Sessions {

    private final SessionRepository sessions;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public Sessions(SessionRepository sessions, Clock clock) {
        this.sessions = sessions;
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
        sessions.save(new SessionRow(hash(token), userId, client, null, expiresAt));
        return new Issued(token, expiresAt);
    }

    /** The caller of a live session, or empty for an unknown, expired or ended one. */
    public Optional<Caller> resolve(String token, String client) {
        return sessions.live(hash(token), clock.instant())
                .map(h -> new Caller(h.userId(), h.orgId(), h.role(), h.email(), client));
    }

    public void end(String token) {
        sessions.deleteById(hash(token));
    }

    private static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

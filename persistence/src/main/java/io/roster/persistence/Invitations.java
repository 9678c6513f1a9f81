package io.roster.persistence;

import io.roster.contracts.Keys;
import io.roster.contracts.event.MailMessage;
import io.roster.contracts.serde.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Invitations: a random single-use token per invitation, mailed as a link, kept only as its SHA-256 hash,
 * expiring, revocable; a resend revokes the earlier one. The mail goes out through the outbox, with the change.
 *
 * <p>A user's open invitation is on the user row ({@code invite_token_hash}, {@code invite_sent_at},
 * {@code invite_expires_at}): inviting a user writes nothing else. Once used, revoked or replaced, it moves to the
 * {@code invitations} table, where its token still gets a clear answer.
 */
public final class Invitations {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** What accepting a token found. */
    public enum Outcome { ACCEPTED, UNKNOWN, USED, EXPIRED, REVOKED }

    /** What using a token did, and whose it was when it was accepted (null otherwise). */
    public record Acceptance(Outcome outcome, UUID userId) {
    }

    private Invitations() {
    }

    /** Writes the mail of one invitation, which carries its token (the mail is the only place the token goes). */
    @FunctionalInterface
    public interface Letter {
        MailMessage write(Invitee invitee, String token, Instant expiresAt);
    }

    /** Gives the user a new invitation (revoking the open one, if any) and queues its mail in the outbox. */
    public static void issue(Connection connection, UUID userId, String email, String firstName, Duration ttl,
                             Letter letter, Instant now) throws SQLException {
        revoke(connection, userId, now);
        Batch batch = prepare(List.of(new Invitee(userId, email, firstName)), ttl, letter, now);
        try (PreparedStatement ps = connection.prepareStatement("UPDATE users SET invite_token_hash = ?, "
                + "invite_sent_at = ?, invite_expires_at = ? WHERE id = ?")) {
            ps.setBytes(1, batch.hashFor(userId));
            ps.setTimestamp(2, Timestamp.from(batch.sentAt()));
            ps.setTimestamp(3, Timestamp.from(batch.expiresAt()));
            ps.setObject(4, userId);
            ps.executeUpdate();
        }
        Outbox.append(connection, List.of(Outbox.Entry.mail(batch.mails.get(0).id(), Keys.user(userId),
                Json.writeString(batch.mails.get(0)))));
    }

    /** Someone to invite: their user id, email and first name. */
    public record Invitee(UUID userId, String email, String firstName) {
    }

    /**
     * Fresh invitations for users who have none yet (about to be created): one token and one mail each. The users'
     * rows take the tokens' hashes ({@link Batch#hashFor}, {@link Users#insertInvited}); the mails go out with the
     * users' invitation events ({@link Batch#mailFor}), in the same transaction.
     */
    public static Batch prepare(List<Invitee> invitees, Duration ttl, Letter letter, Instant now) {
        Map<UUID, byte[]> hashes = new HashMap<>();
        List<MailMessage> mails = new ArrayList<>(invitees.size());
        for (Invitee invitee : invitees) {
            byte[] raw = new byte[32];
            RANDOM.nextBytes(raw);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            hashes.put(invitee.userId(), hash(token));
            mails.add(letter.write(invitee, token, now.plus(ttl)));
        }
        return new Batch(hashes, mails, now, now.plus(ttl));
    }

    /** Invitations made by {@link #prepare}: their tokens' hashes for the user rows, and their mails. */
    public static final class Batch {
        private final Map<UUID, byte[]> hashes;
        private final List<MailMessage> mails;
        private final Map<UUID, MailMessage> byUser = new HashMap<>();
        private final Instant sentAt;
        private final Instant expiresAt;

        private Batch(Map<UUID, byte[]> hashes, List<MailMessage> mails, Instant sentAt, Instant expiresAt) {
            this.hashes = hashes;
            this.mails = mails;
            this.sentAt = sentAt;
            this.expiresAt = expiresAt;
            mails.forEach(m -> byUser.put(m.userId(), m));
        }

        /** The JSON of the invitation mail of {@code userId}, or null when this batch does not invite them. */
        public String mailFor(UUID userId) {
            MailMessage mail = byUser.get(userId);
            return mail == null ? null : Json.writeString(mail);
        }

        /** The SHA-256 hash of the token of {@code userId}, or null when this batch does not invite them. */
        public byte[] hashFor(UUID userId) {
            return hashes.get(userId);
        }

        public Instant sentAt() {
            return sentAt;
        }

        public Instant expiresAt() {
            return expiresAt;
        }
    }

    /**
     * Revokes the user's open invitation, moving it to the closed ones.
     *
     * @return how many there were (0 or 1)
     */
    public static int revoke(Connection connection, UUID userId, Instant now) throws SQLException {
        return close(connection, userId, "revoked_at", now);
    }

    /** Uses the token to set the user's password, once. */
    public static Acceptance accept(Connection connection, String token, String passwordHash, Instant now)
            throws SQLException {
        byte[] hash = hash(token);
        UUID userId = null;
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT id, invite_expires_at FROM users WHERE invite_token_hash = ? FOR UPDATE")) {
            ps.setBytes(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    if (!rs.getTimestamp(2).toInstant().isAfter(now)) {
                        return new Acceptance(Outcome.EXPIRED, null);
                    }
                    userId = rs.getObject(1, UUID.class);
                }
            }
        }
        if (userId == null) {
            return new Acceptance(closedOutcome(connection, hash), null);
        }
        close(connection, userId, "used_at", now);
        try (PreparedStatement ps = connection.prepareStatement(
                "UPDATE users SET password_hash = ?, updated_at = clock_timestamp() WHERE id = ? RETURNING org_id")) {
            ps.setString(1, passwordHash);
            ps.setObject(2, userId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Activity.append(connection, List.of(new Activity.Entry(userId, rs.getObject(1, UUID.class), userId,
                        "invitation-accepted", null, null, now)));
            }
        }
        return new Acceptance(Outcome.ACCEPTED, userId);
    }

    /** What a token that is no user's open invitation says: used, revoked (or replaced), or unknown. */
    private static Outcome closedOutcome(Connection connection, byte[] hash) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT used_at IS NOT NULL FROM invitations WHERE token_hash = ?")) {
            ps.setBytes(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Outcome.UNKNOWN;
                }
                return rs.getBoolean(1) ? Outcome.USED : Outcome.REVOKED;
            }
        }
    }

    /**
     * Moves the user's open invitation off the user row into the closed ones, with
     * {@code column} ({@code used_at} or {@code revoked_at}) set to {@code now}. @return how many moved (0 or 1)
     */
    private static int close(Connection connection, UUID userId, String column, Instant now)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("WITH o AS (SELECT id, invite_token_hash, "
                + "invite_sent_at, invite_expires_at FROM users WHERE id = ? AND invite_token_hash IS NOT NULL "
                + "FOR UPDATE), cleared AS (UPDATE users u SET invite_token_hash = NULL, invite_sent_at = NULL, "
                + "invite_expires_at = NULL FROM o WHERE u.id = o.id) "
                + "INSERT INTO invitations (token_hash, user_id, created_at, expires_at, " + column + ") "
                + "SELECT invite_token_hash, id, invite_sent_at, invite_expires_at, ? FROM o")) {
            ps.setObject(1, userId);
            ps.setTimestamp(2, Timestamp.from(now));
            return ps.executeUpdate();
        }
    }

    private static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

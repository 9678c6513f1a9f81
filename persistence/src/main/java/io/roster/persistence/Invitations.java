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
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Invitations: a random single-use token per invitation, mailed as a link, kept only as its SHA-256 hash,
 * expiring, revocable; a resend revokes the earlier ones. The mail goes out through the outbox, with the change.
 */
public final class Invitations {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** What accepting a token found. */
    public enum Outcome { ACCEPTED, UNKNOWN, USED, EXPIRED, REVOKED }

    private Invitations() {
    }

    /**
     * Creates an invitation for the user (revoking any earlier one) and queues its mail in the outbox.
     *
     * @param publicUrl where the console is, for the link ({@code <publicUrl>/invitations/accept?token=...})
     */
    public static void issue(Connection connection, UUID userId, String email, String firstName, String orgName,
                             Duration ttl, String publicUrl, Instant now) throws SQLException {
        revoke(connection, userId, now);
        Batch batch = prepare(List.of(new Invitee(userId, email, firstName)), orgName, ttl, publicUrl, now);
        batch.store(connection);
        Outbox.append(connection, List.of(Outbox.Entry.mail(batch.mails.get(0).id(), Keys.user(userId),
                Json.writeString(batch.mails.get(0)))));
    }

    /** Someone to invite: their user id, email and first name. */
    public record Invitee(UUID userId, String email, String firstName) {
    }

    /**
     * Fresh invitations for users who have none yet (just created): one token and one mail each. Store the rows
     * with {@link Batch#store} once the users exist; the mails go out with the users' invitation events
     * ({@link Batch#mailFor}), in the same transaction.
     */
    public static Batch prepare(List<Invitee> invitees, String orgName, Duration ttl, String publicUrl, Instant now) {
        List<byte[]> hashes = new java.util.ArrayList<>(invitees.size());
        List<MailMessage> mails = new java.util.ArrayList<>(invitees.size());
        for (Invitee invitee : invitees) {
            byte[] raw = new byte[32];
            RANDOM.nextBytes(raw);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            hashes.add(hash(token));
            String link = publicUrl + "/invitations/accept?token=" + token;
            mails.add(new MailMessage(UUID.randomUUID(), invitee.email(), "You are invited to " + orgName,
                    "Hello " + invitee.firstName() + ",\n\nyou have been invited to " + orgName
                            + ". Create your password here:\n\n" + link + "\n\nThe link works once and expires on "
                            + now.plus(ttl) + ".\n", "invitation", invitee.userId()));
        }
        return new Batch(invitees, hashes, mails, now, now.plus(ttl));
    }

    /** Invitations made by {@link #prepare}: their rows to store and their mails to send. */
    public static final class Batch {
        private final List<Invitee> invitees;
        private final List<byte[]> hashes;
        private final List<MailMessage> mails;
        private final java.util.Map<UUID, MailMessage> byUser = new java.util.HashMap<>();
        private final Instant createdAt;
        private final Instant expiresAt;

        private Batch(List<Invitee> invitees, List<byte[]> hashes, List<MailMessage> mails, Instant createdAt,
                      Instant expiresAt) {
            this.invitees = invitees;
            this.hashes = hashes;
            this.mails = mails;
            this.createdAt = createdAt;
            this.expiresAt = expiresAt;
            mails.forEach(m -> byUser.put(m.userId(), m));
        }

        /** The JSON of the invitation mail of {@code userId}, or null when this batch does not invite them. */
        public String mailFor(UUID userId) {
            MailMessage mail = byUser.get(userId);
            return mail == null ? null : Json.writeString(mail);
        }

        /** Inserts the invitations (hashes only), in one batch. */
        public void store(Connection connection) throws SQLException {
            if (invitees.isEmpty()) {
                return;
            }
            try (PreparedStatement ps = connection.prepareStatement(
                    "INSERT INTO invitations (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")) {
                for (int i = 0; i < invitees.size(); i++) {
                    ps.setBytes(1, hashes.get(i));
                    ps.setObject(2, invitees.get(i).userId());
                    ps.setTimestamp(3, Timestamp.from(createdAt));
                    ps.setTimestamp(4, Timestamp.from(expiresAt));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    /** Revokes the user's open invitations. @return how many there were */
    public static int revoke(Connection connection, UUID userId, Instant now) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE invitations SET revoked_at = ? "
                + "WHERE user_id = ? AND used_at IS NULL AND revoked_at IS NULL")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setObject(2, userId);
            return ps.executeUpdate();
        }
    }

    /** Uses the token to set the user's password, once. */
    public static Outcome accept(Connection connection, String token, String passwordHash, Instant now)
            throws SQLException {
        UUID userId;
        try (PreparedStatement ps = connection.prepareStatement("SELECT user_id, expires_at, used_at, revoked_at "
                + "FROM invitations WHERE token_hash = ? FOR UPDATE")) {
            ps.setBytes(1, hash(token));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Outcome.UNKNOWN;
                }
                if (rs.getTimestamp(3) != null) {
                    return Outcome.USED;
                }
                if (rs.getTimestamp(4) != null) {
                    return Outcome.REVOKED;
                }
                if (!rs.getTimestamp(2).toInstant().isAfter(now)) {
                    return Outcome.EXPIRED;
                }
                userId = rs.getObject(1, UUID.class);
            }
        }
        try (PreparedStatement ps = connection.prepareStatement("UPDATE invitations SET used_at = ? WHERE token_hash = ?")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setBytes(2, hash(token));
            ps.executeUpdate();
        }
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
        return Outcome.ACCEPTED;
    }

    private static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

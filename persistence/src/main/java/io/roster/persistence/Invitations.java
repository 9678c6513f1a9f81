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
        issueNew(connection, List.of(new Invitee(userId, email, firstName)), orgName, ttl, publicUrl, now);
    }

    /** Someone to invite: their user id, email and first name. */
    public record Invitee(UUID userId, String email, String firstName) {
    }

    /** Invites users who have no invitation yet (just created), in one batch of rows and one of mails. */
    public static void issueNew(Connection connection, List<Invitee> invitees, String orgName, Duration ttl,
                                String publicUrl, Instant now) throws SQLException {
        if (invitees.isEmpty()) {
            return;
        }
        List<Outbox.Entry> mails = new java.util.ArrayList<>(invitees.size());
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT INTO invitations (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")) {
            for (Invitee invitee : invitees) {
                byte[] raw = new byte[32];
                RANDOM.nextBytes(raw);
                String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
                ps.setBytes(1, hash(token));
                ps.setObject(2, invitee.userId());
                ps.setTimestamp(3, Timestamp.from(now));
                ps.setTimestamp(4, Timestamp.from(now.plus(ttl)));
                ps.addBatch();
                String link = publicUrl + "/invitations/accept?token=" + token;
                MailMessage mail = new MailMessage(UUID.randomUUID(), invitee.email(), "You are invited to " + orgName,
                        "Hello " + invitee.firstName() + ",\n\nyou have been invited to " + orgName
                                + ". Create your password here:\n\n" + link + "\n\nThe link works once and expires on "
                                + now.plus(ttl) + ".\n", "invitation", invitee.userId());
                mails.add(Outbox.Entry.of(mail.id(), Outbox.Destination.MAIL, Keys.user(invitee.userId()),
                        Json.writeString(mail)));
            }
            ps.executeBatch();
        }
        Outbox.append(connection, mails);
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

package io.roster.operations;

import io.roster.contracts.event.MailMessage;
import io.roster.contracts.user.Role;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Every mail Roster sends, worded in one place: the invitation, a transfer's two mails, the activity log. */
public final class Mails {

    private Mails() {
    }

    /** The link of an invitation: the console's page that takes the token and the new password. */
    public static String invitationLink(String publicUrl, String token) {
        return publicUrl + "/invitations/accept?token=" + token;
    }

    /** The invitations of {@code orgName}, linking to the console at {@code publicUrl}. */
    public static io.roster.persistence.Invitations.Letter invitations(String orgName, String publicUrl) {
        return (invitee, token, expiresAt) -> invitation(invitee.userId(), invitee.email(), invitee.firstName(),
                orgName, invitationLink(publicUrl, token), expiresAt);
    }

    /** To an invited user: where to create their password, and until when the link works. */
    public static MailMessage invitation(UUID userId, String email, String firstName, String orgName, String link,
                                         Instant expiresAt) {
        return new MailMessage(UUID.randomUUID(), email, "You are invited to " + orgName,
                "Hello " + firstName + ",\n\nyou have been invited to " + orgName
                        + ". Create your password here:\n\n" + link + "\n\nThe link works once and expires on "
                        + expiresAt + ".\n", "invitation", userId);
    }

    /** To a transferred user: where they are now, with which role. */
    public static MailMessage moved(UUID userId, String email, String firstName, String orgName, Role role) {
        return new MailMessage(UUID.randomUUID(), email, "You have moved to " + orgName, "Hello " + firstName
                + ",\n\nyour account now belongs to " + orgName + ", with the role " + role + ". Your password is "
                + "unchanged; please sign in again.\n", "transfer", userId);
    }

    /** To the destination's admin: which users of a transfer job's chunk arrived. */
    public static MailMessage arrived(UUID adminId, String email, String firstName, String orgName, Role role,
                                      UUID jobId, List<String> emails) {
        return new MailMessage(UUID.randomUUID(), email, emails.size()
                + (emails.size() == 1 ? " user was" : " users were") + " transferred to " + orgName,
                "Hello " + firstName + ",\n\nthese users now belong to " + orgName + " with the role " + role
                        + " (job " + jobId + "):\n\n" + String.join("\n", emails) + "\n", "transfer-admin", adminId);
    }

    /** To the admin who asked: a user's activity log as a CSV attachment, {@code entries} of {@code total}. */
    public static MailMessage activityLog(UUID mailId, String to, UUID userId, String userEmail, String csv,
                                          int entries, int total) {
        String body = "The activity log of " + userEmail + " is attached: " + entries
                + (entries < total ? " newest of " + total + " entries." : " entries.") + "\n";
        return new MailMessage(mailId, to, "Activity log of " + userEmail, body, "activity-log", userId,
                List.of(new MailMessage.Attachment("activity-" + userEmail + ".csv", "text/csv; charset=utf-8",
                        csv.getBytes(StandardCharsets.UTF_8))));
    }
}

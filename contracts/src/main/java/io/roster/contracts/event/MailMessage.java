package io.roster.contracts.event;

import java.util.UUID;

/**
 * A mail to send, on {@code roster.mail.v1} (key: the user it concerns), from the workers to the mailer. {@code id}
 * is assigned once with the change that asked for the mail; the mailer sends each id once (a crash between sending
 * and recording it may send it twice, never lose it).
 *
 * @param kind what the mail is for, such as {@code invitation}
 */
public record MailMessage(UUID id, String to, String subject, String text, String kind, UUID userId) {
}

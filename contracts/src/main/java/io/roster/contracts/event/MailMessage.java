package io.roster.contracts.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.List;
import java.util.UUID;

/**
 * A mail to send, on {@code roster.mail.v1} (key: the user it concerns), from the workers to the mailer. {@code id}
 * is assigned once with the change that asked for the mail; the mailer sends each id once (a crash between sending
 * and recording it may send it twice, never lose it).
 *
 * @param kind        what the mail is for, such as {@code invitation}
 * @param attachments files sent with it (small: the whole mail travels as one Kafka record)
 */
public record MailMessage(UUID id, String to, String subject, String text, String kind, UUID userId,
                          List<Attachment> attachments) {

    /** A mail without an id, a recipient, a subject or a text cannot be sent: it is unreadable, not a mail. */
    @JsonCreator
    public MailMessage {
        java.util.Objects.requireNonNull(id, "id");
        java.util.Objects.requireNonNull(to, "to");
        java.util.Objects.requireNonNull(subject, "subject");
        java.util.Objects.requireNonNull(text, "text");
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    public MailMessage(UUID id, String to, String subject, String text, String kind, UUID userId) {
        this(id, to, subject, text, kind, userId, List.of());
    }

    /** A file: its name, media type and bytes (Base64 in JSON). */
    public record Attachment(String filename, String contentType, byte[] content) {
    }
}

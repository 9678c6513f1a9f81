package io.roster.workers.mail;

import io.roster.contracts.event.MailMessage;
import io.roster.workers.WorkersConfig;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Delivers one mail: over SMTP when a host is configured, else into a mailbox folder (one .eml file a mail). */
public interface MailSender {

    void send(MailMessage mail);

    /** The system property by which Jakarta Mail finds its {@code StreamProvider}, and Angus Mail's one. */
    String STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";
    String ANGUS_STREAM_PROVIDER = "org.eclipse.angus.mail.util.MailStreamProvider";

    /**
     * Names Angus Mail's {@code StreamProvider} in the system properties, unless one is named already. Jakarta Mail
     * 2.1 looks its stream provider up on almost every header and body it encodes (jakartaee/mail-api#861): without
     * the property, each lookup is a {@code ServiceLoader} scan of every jar on the class path (a few hundred
     * microseconds a mail and a steady stream of recompiled methods); with it, a loaded class by name.
     */
    static void nameStreamProvider() {
        System.getProperties().putIfAbsent(STREAM_PROVIDER, ANGUS_STREAM_PROVIDER);
    }

    static MailSender from(WorkersConfig config) {
        nameStreamProvider();
        Properties props = new Properties();
        if (config.smtpHost() != null) {
            props.put("mail.smtp.host", config.smtpHost());
            props.put("mail.smtp.port", Integer.toString(config.smtpPort()));
            props.put("mail.smtp.connectiontimeout", "10000");
            props.put("mail.smtp.timeout", "10000");
        }
        Session session = Session.getInstance(props);
        if (config.smtpHost() != null) {
            return new Smtp(session, config.smtpFrom());
        }
        return new Mailbox(session, config.smtpFrom(), Path.of(config.mailboxDir()));
    }

    static MimeMessage message(Session session, String from, MailMessage mail) throws MessagingException {
        // the Message-ID is the mail's own (RFC 5322: a copy of a message keeps its id), so that the one copy a
        // crash between sending and recording may cause is recognizably the same message to whoever receives it
        String messageId = "<" + mail.id() + "@roster>";
        MimeMessage message = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        message.setFrom(new InternetAddress(from));
        message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(mail.to()));
        message.setSubject(mail.subject(), "UTF-8");
        if (mail.attachments().isEmpty()) {
            message.setText(mail.text(), "UTF-8");
        } else {
            jakarta.mail.internet.MimeMultipart parts = new jakarta.mail.internet.MimeMultipart();
            jakarta.mail.internet.MimeBodyPart text = new jakarta.mail.internet.MimeBodyPart();
            text.setText(mail.text(), "UTF-8");
            parts.addBodyPart(text);
            for (MailMessage.Attachment attachment : mail.attachments()) {
                jakarta.mail.internet.MimeBodyPart file = new jakarta.mail.internet.MimeBodyPart();
                file.setDataHandler(new jakarta.activation.DataHandler(
                        new jakarta.mail.util.ByteArrayDataSource(attachment.content(), attachment.contentType())));
                file.setFileName(attachment.filename());
                parts.addBodyPart(file);
            }
            message.setContent(parts);
        }
        message.setHeader("X-Roster-Mail-Id", mail.id().toString());
        return message;
    }

    /**
     * SMTP over one connection kept open between mails (a connection per mail costs a handshake each); a send on
     * a connection the server has dropped reconnects and tries once more. At least once: a mail whose acceptance
     * was lost with the connection is sent again.
     */
    final class Smtp implements MailSender {
        private final Session session;
        private final String from;
        private Transport transport;

        Smtp(Session session, String from) {
            this.session = session;
            this.from = from;
        }

        @Override
        public synchronized void send(MailMessage mail) {
            MimeMessage message;
            try {
                message = message(session, from, mail);
                message.saveChanges();
            } catch (MessagingException e) {
                throw new IllegalArgumentException("mail " + mail.id() + " cannot be built: " + e.getMessage(), e);
            }
            for (int attempt = 1; ; attempt++) {
                try {
                    if (transport == null) {
                        transport = session.getTransport("smtp");
                        transport.connect();
                    }
                    transport.sendMessage(message, message.getAllRecipients());
                    return;
                } catch (MessagingException e) {
                    disconnect();
                    if (attempt == 2) {
                        if (e instanceof jakarta.mail.SendFailedException refused
                                && refused.getInvalidAddresses() != null && refused.getInvalidAddresses().length > 0) {
                            // the server refuses the address itself: it will refuse it again
                            throw new IllegalArgumentException("mail " + mail.id() + ": the recipient was refused", e);
                        }
                        // a server down, busy or answering 4xx: worth a retry after a back-off
                        throw new java.io.UncheckedIOException(new java.io.IOException(
                                "SMTP delivery of mail " + mail.id() + " failed: " + e.getMessage(), e));
                    }
                }
            }
        }

        private void disconnect() {
            if (transport != null) {
                try {
                    transport.close();
                } catch (MessagingException ignored) {
                    // the connection is gone either way
                }
                transport = null;
            }
        }
    }

    /**
     * The local run's mailbox: a folder of .eml files that only the user running Roster may read (the folder
     * {@code rwx------}, each file {@code rw-------}: an invitation holds a live token). The log names the file, never
     * the recipient, the link or its token.
     */
    final class Mailbox implements MailSender {
        private static final Logger LOG = LoggerFactory.getLogger(Mailbox.class);
        private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
        private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
        private final Session session;
        private final String from;
        private final Path dir;

        Mailbox(Session session, String from, Path dir) {
            this.session = session;
            this.from = from;
            this.dir = dir;
        }

        @Override
        public void send(MailMessage mail) {
            Path file = dir.resolve(mail.id() + ".eml");
            try {
                Files.createDirectories(dir);
                restrict(dir, DIR);
                Files.deleteIfExists(file);
                Files.createFile(file);
                restrict(file, FILE);
                try (OutputStream out = Files.newOutputStream(file)) {
                    message(session, from, mail).writeTo(out);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
            LOG.info("Mail {} ({}) written to {}", mail.id(), mail.kind(), file);
        }

        private static void restrict(Path path, Set<PosixFilePermission> permissions) throws IOException {
            if (Files.getFileStore(path).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(path, permissions);
            }
        }
    }
}

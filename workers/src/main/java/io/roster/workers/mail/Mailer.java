package io.roster.workers.mail;

import io.roster.contracts.event.MailMessage;
import io.roster.persistence.Tx;
import io.roster.workers.consume.ConsumerLoop;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Sends the mails of {@code roster.mail.v1}, each id once: a mail already recorded as sent is skipped; a crash
 * between sending and recording sends it again (at least once, never lost).
 */
public final class Mailer implements ConsumerLoop.Handler<MailMessage> {

    private static final String CONSUMER = "mailer";

    private final DataSource dataSource;
    private final MailSender sender;

    public Mailer(DataSource dataSource, MailSender sender) {
        this.dataSource = dataSource;
        this.sender = sender;
    }

    @Override
    public boolean apply(MailMessage mail) {
        // two single statements, each its own (auto-committed) transaction: one round trip apiece
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT 1 FROM processed_messages WHERE consumer = ? AND message_id = ?")) {
                ps.setString(1, CONSUMER);
                ps.setString(2, mail.id().toString());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            sender.send(mail);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO processed_messages (consumer, message_id) "
                    + "VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, CONSUMER);
                ps.setString(2, mail.id().toString());
                ps.executeUpdate();
            }
            return true;
        } catch (SQLException e) {
            throw new Tx.DataAccessException(e);
        }
    }
}

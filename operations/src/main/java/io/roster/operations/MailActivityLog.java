package io.roster.operations;

import io.roster.contracts.Keys;
import io.roster.contracts.csv.CsvCells;
import io.roster.contracts.event.MailMessage;
import io.roster.contracts.event.UserSnapshot;
import io.roster.contracts.serde.Json;
import io.roster.persistence.Activity;
import io.roster.persistence.Outbox;
import io.roster.persistence.Users;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.sql.Connection;
import java.sql.SQLException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Mails a user's activity log to the admin who asks, as a CSV attachment (at, action, actor, client, details;
 * newest first, at most {@link #MAILED_ENTRIES}; every cell neutralised against spreadsheet formulas). The mail
 * leaves through the outbox with an activity entry saying who asked, in the caller's transaction.
 */
public final class MailActivityLog {

    /** Entries in a mailed activity log: the newest, so that the mail stays small. */
    public static final int MAILED_ENTRIES = 2000;

    /** Where the log went, and how many entries it holds of how many. */
    public record Mailed(UUID mailId, String to, int entries, int totalEntries) {
    }

    private MailActivityLog() {
    }

    public static Mailed apply(Connection connection, UUID userId, String to, Actor actor, Instant now)
            throws SQLException {
        UserSnapshot user = Users.find(connection, userId);
        if (user == null) {
            throw new Refusal(Refusal.Kind.NOT_FOUND, "not-found", null, "User " + userId);
        }
        int total = Activity.count(connection, userId);
        List<Activity.Logged> entries = Activity.latest(connection, userId, MAILED_ENTRIES);
        UUID mailId = UUID.randomUUID();
        MailMessage mail = Mails.activityLog(mailId, to, userId, user.email(), csv(entries), entries.size(), total);
        Outbox.append(connection, List.of(Outbox.Entry.mail(mailId, Keys.user(userId), Json.writeString(mail))));
        Activity.append(connection, List.of(new Activity.Entry(userId, user.orgId(), actor.userId(),
                "activity-log-mailed", actor.client(), "to " + to, now)));
        return new Mailed(mailId, to, entries.size(), total);
    }

    private static String csv(List<Activity.Logged> entries) {
        StringWriter text = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(text, CSVFormat.RFC4180.builder()
                .setHeader("at", "action", "actor", "client", "details").get())) {
            for (Activity.Logged entry : entries) {
                String actor = entry.actorEmail() != null ? entry.actorEmail()
                        : entry.actorId() == null ? null : entry.actorId().toString();
                csv.printRecord(entry.at().toString(), CsvCells.neutralise(entry.action()),
                        CsvCells.neutralise(actor), CsvCells.neutralise(entry.client()),
                        CsvCells.neutralise(entry.details()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}

package io.roster.gateway.users;

import io.roster.contracts.Keys;
import io.roster.contracts.csv.CsvCells;
import io.roster.contracts.event.MailMessage;
import io.roster.contracts.event.UserSnapshot;
import io.roster.contracts.serde.Json;
import io.roster.gateway.auth.Caller;
import io.roster.gateway.orgs.Access;
import io.roster.gateway.orgs.Permission;
import io.roster.gateway.problem.ProblemException;
import io.roster.operations.Mails;
import io.roster.persistence.Activity;
import io.roster.persistence.Outbox;
import io.roster.persistence.Tx;
import io.roster.persistence.Users;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** A user's activity log: read by callers with {@code view_activity}, and mailed to them as a CSV attachment. */
@Singleton
public class ActivityLog {

    /** Entries in a mailed activity log: the newest, so that the mail stays small. */
    public static final int MAILED_ENTRIES = 2000;

    private final DataSource dataSource;
    private final Access access;
    private final Clock clock;

    public ActivityLog(DataSource dataSource, Access access, Clock clock) {
        this.dataSource = dataSource;
        this.access = access;
        this.clock = clock;
    }

    /** Where a mailed log went, and how many entries it holds of how many. */
    public record Mailed(UUID mailId, String to, int entries, int totalEntries) {
    }

    /** The user's latest {@code limit} actions, newest first. */
    public List<Activity.Logged> latest(Caller caller, UUID userId, int limit) {
        access.user(caller, userId, Permission.view_activity);
        return Tx.run(dataSource, c -> Activity.latest(c, userId, limit));
    }

    /**
     * Mails the user's activity log, as a CSV attachment (at, action, actor, client, details; newest first, at most
     * {@link #MAILED_ENTRIES}), to the caller's own email. The mail leaves through the outbox with an activity entry
     * saying who asked, both in one transaction.
     */
    public Mailed mail(Caller caller, UUID userId) {
        access.user(caller, userId, Permission.view_activity);
        UUID mailId = UUID.randomUUID();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return Tx.run(dataSource, c -> {
            UserSnapshot user = Users.find(c, userId);
            if (user == null) {
                throw ProblemException.notFound("User " + userId);
            }
            int total = Activity.count(c, userId);
            List<Activity.Logged> entries = Activity.latest(c, userId, MAILED_ENTRIES);
            MailMessage mail = Mails.activityLog(mailId, caller.email(), userId, user.email(), csv(entries),
                    entries.size(), total);
            Outbox.append(c, List.of(Outbox.Entry.mail(mailId, Keys.user(userId), Json.writeString(mail))));
            Activity.append(c, List.of(new Activity.Entry(userId, user.orgId(), caller.userId(),
                    "activity-log-mailed", caller.client(), "to " + caller.email(), now)));
            return new Mailed(mailId, caller.email(), entries.size(), total);
        });
    }

    /** The entries as CSV; every cell neutralised against spreadsheet formulas. */
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

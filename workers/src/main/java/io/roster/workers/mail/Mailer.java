package io.roster.workers.mail;

import io.roster.contracts.event.MailMessage;
import io.roster.persistence.ProcessedMessages;
import io.roster.persistence.Tx;
import io.roster.workers.consume.ConsumerLoop;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Sends the mails of {@code roster.mail.v1}, each id once: a mail recorded as sent is skipped. A poll's mails are
 * looked up in one statement before the first is sent, and each mail is recorded as soon as it is sent
 * ({@link #recordSent}). Never lost, and sent twice only across a crash, at most the one mail being sent then (sent,
 * not yet recorded); that copy carries the same Message-ID. The fault suite counts the copies.
 */
public final class Mailer implements ConsumerLoop.BatchHandler<MailMessage> {

    /** Mails a poll: how many a crash may send twice. */
    public static final int POLL_RECORDS = 100;

    private static final String CONSUMER = "mailer";

    private final DataSource dataSource;
    private final MailSender sender;
    private final Set<UUID> recorded = new HashSet<>();
    private final Set<UUID> unrecorded = new LinkedHashSet<>();

    private final io.micrometer.core.instrument.Timer sent;
    private final io.micrometer.core.instrument.Counter skipped;

    /** @param registry {@code roster_mails_sent} (a timer: count and time of each send) and {@code roster_mails_skipped} */
    public Mailer(DataSource dataSource, MailSender sender, io.micrometer.core.instrument.MeterRegistry registry) {
        this.dataSource = dataSource;
        this.sender = sender;
        this.sent = io.micrometer.core.instrument.Timer.builder("roster.mails.sent")
                .description("mails handed to the SMTP server, and how long each took").register(registry);
        this.skipped = io.micrometer.core.instrument.Counter.builder("roster.mails.skipped")
                .description("mails not sent again: their id was sent before").register(registry);
    }

    @Override
    public void beforeBatch(List<MailMessage> mails) {
        recorded.clear();
        Tx.run(dataSource, c -> ProcessedMessages.applied(c, CONSUMER,
                mails.stream().map(m -> m.id().toString()).toList())).forEach(id -> recorded.add(UUID.fromString(id)));
    }

    @Override
    public boolean apply(MailMessage mail) {
        if (recorded.contains(mail.id()) || unrecorded.contains(mail.id())) {
            skipped.increment();
            return false;
        }
        long start = System.nanoTime();
        sender.send(mail);
        sent.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS); // sent: a failure throws
        unrecorded.add(mail.id());
        recordSent();
        return true;
    }

    /**
     * Records the mails sent and not yet recorded, at once after each send: a crash of this process can then send
     * again only the one mail it was sending (sent, not yet recorded), never a poll's worth. The commit does not wait
     * for the WAL flush (synchronous_commit off: a few hundred microseconds a mail instead of a disk flush); only a
     * crash of PostgreSQL itself can lose the last fraction of a second of these records, and with them send those
     * mails again. A record that fails (the database away) stays in memory, is tried again before the offsets are
     * committed, and holds them back until it succeeds.
     */
    private void recordSent() {
        try {
            Tx.run(dataSource, c -> {
                try (java.sql.Statement s = c.createStatement()) {
                    s.execute("SET LOCAL synchronous_commit TO off");
                }
                ProcessedMessages.record(c, CONSUMER, unrecorded.stream().map(UUID::toString).toList());
                return null;
            });
            recorded.addAll(unrecorded);
            unrecorded.clear();
        } catch (RuntimeException e) {
            // kept in memory (this process sends none of them again) and recorded before the offsets are committed
        }
    }

    @Override
    public void beforeCommit() {
        if (unrecorded.isEmpty()) {
            return;
        }
        Tx.run(dataSource, c -> {
            ProcessedMessages.record(c, CONSUMER, unrecorded.stream().map(UUID::toString).toList());
            return null;
        });
        recorded.addAll(unrecorded);
        unrecorded.clear();
    }
}

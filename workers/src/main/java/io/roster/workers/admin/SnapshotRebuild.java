package io.roster.workers.admin;

import io.roster.contracts.event.UserSnapshot;
import io.roster.contracts.serde.Json;
import io.roster.persistence.Outbox;
import io.roster.persistence.Tx;
import io.roster.persistence.UserRows;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.LongConsumer;
import javax.sql.DataSource;

/**
 * Rebuilds the compacted users topic from PostgreSQL, for a lost topic or a new one: every user's current state,
 * through the outbox (so the relay publishes it in order with every other change, and nothing is published before
 * it is committed), and no change event. Each batch reads its users {@code FOR SHARE} in the transaction that
 * queues their snapshots: a concurrent change of one of them commits before or after that transaction, and its own
 * snapshot is queued before or after the rebuild's, so the topic ends with the newest state either way.
 */
public final class SnapshotRebuild {

    private final DataSource dataSource;
    private final int batch;

    public SnapshotRebuild(DataSource dataSource, int batch) {
        this.dataSource = dataSource;
        this.batch = batch;
    }

    /**
     * Queues a snapshot of every user, a batch per transaction, in id order.
     *
     * @param progress told the number of users queued so far after each batch
     * @return how many users were queued
     */
    public long queue(LongConsumer progress) {
        long queued = 0;
        UUID after = new UUID(0, 0);
        while (true) {
            UUID from = after;
            List<UserSnapshot> users = Tx.run(dataSource, c -> {
                List<UserSnapshot> read = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT " + UserRows.SNAPSHOT + UserRows.SNAPSHOTS
                        + " WHERE u.id > ? ORDER BY u.id LIMIT ? FOR SHARE")) {
                    ps.setObject(1, from);
                    ps.setInt(2, batch);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            read.add(UserRows.snapshot(rs));
                        }
                    }
                }
                List<Outbox.Entry> entries = new ArrayList<>(read.size());
                for (UserSnapshot user : read) {
                    // a state without a change: no event, a fresh id in the record's roster.event-id header
                    entries.add(Outbox.Entry.state(UUID.randomUUID(), user.id().toString(), Json.writeString(user)));
                }
                Outbox.append(c, entries);
                return read;
            });
            if (users.isEmpty()) {
                return queued;
            }
            queued += users.size();
            after = users.get(users.size() - 1).id();
            progress.accept(queued);
        }
    }

    /**
     * Waits until the outbox holds nothing older than what {@link #queue} added (the relay, in a workers instance,
     * has published it all), up to {@code timeout}.
     *
     * @return whether it was all published in time
     */
    public boolean awaitPublished(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = Tx.run(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(id), 0) FROM outbox");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
        while (System.nanoTime() < deadline) {
            boolean pending = Tx.run(dataSource, c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM outbox WHERE id <= ?)")) {
                    ps.setLong(1, last);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getBoolean(1);
                    }
                }
            });
            if (!pending) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }
}

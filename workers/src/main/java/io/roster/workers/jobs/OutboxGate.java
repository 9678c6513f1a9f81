package io.roster.workers.jobs;

import io.roster.persistence.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Holds bulk work back while the outbox is behind: before a chunk is applied, it waits while more than
 * {@code maxBacklog} committed changes wait to be published. However large a job, its changes then reach Kafka soon
 * after their commit, because the relay is never left a growing queue: when cores are short, the job slows to the
 * relay's pace instead. The wait is bounded ({@code maxWait}): without a relay running (it fails over within a
 * second or two) jobs still go on, their events to follow.
 */
public final class OutboxGate {

    private final DataSource dataSource;
    private final int maxBacklog;
    private final long maxWaitNanos;

    /** @param maxBacklog unpublished changes a chunk may start behind; 0: never wait */
    public OutboxGate(DataSource dataSource, int maxBacklog, Duration maxWait) {
        this.dataSource = dataSource;
        this.maxBacklog = maxBacklog;
        this.maxWaitNanos = maxWait.toNanos();
    }

    /** Returns once the outbox holds at most the backlog allowed, or after the longest wait. @return waited nanos */
    public long await() {
        if (maxBacklog <= 0) {
            return 0;
        }
        long start = System.nanoTime();
        while (backlog() > maxBacklog && System.nanoTime() - start < maxWaitNanos) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return System.nanoTime() - start;
    }

    /** Unpublished changes, counted no further than just past the limit (a few rows: one per chunk or change). */
    int backlog() {
        return Tx.run(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(sum(entries), 0) FROM (SELECT entries "
                    + "FROM outbox ORDER BY id LIMIT ?) o")) {
                ps.setInt(1, maxBacklog + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }
}

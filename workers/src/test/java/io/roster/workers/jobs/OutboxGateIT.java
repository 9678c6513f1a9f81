package io.roster.workers.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roster.persistence.Database;
import io.roster.persistence.Outbox;
import io.roster.persistence.Tx;
import io.roster.testsupport.Sql;
import io.roster.testsupport.TestEnv;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The gate over a real database: a chunk goes at once while the outbox is within the backlog, waits while it is
 * behind and goes as soon as the relay catches up, and never waits longer than the longest wait.
 */
class OutboxGateIT {

    @Test
    void aChunkWaitsWhileTheOutboxIsBehindAndGoesWhenItCatchesUp() throws Exception {
        TestEnv env = TestEnv.create("gate");
        try (var pool = Database.pool(env.db(), "test")) {
            OutboxGate gate = new OutboxGate(pool, 1500, Duration.ofSeconds(30));
            append(pool, 1000);
            assertEquals(1000, gate.backlog());
            assertTrue(gate.await() < TimeUnit.MILLISECONDS.toNanos(500), "within the backlog: no wait");

            append(pool, 1000);
            CompletableFuture<Long> waiting = CompletableFuture.supplyAsync(gate::await);
            Thread.sleep(300);
            assertTrue(!waiting.isDone(), "2,000 unpublished changes: the chunk waits");
            Sql.execute(pool, "DELETE FROM outbox WHERE id = (SELECT min(id) FROM outbox)"); // the relay publishes
            long waited = waiting.get(10, TimeUnit.SECONDS);
            assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(300) && waited < TimeUnit.SECONDS.toNanos(10),
                    "it went once the relay caught up: " + waited);

            append(pool, 5000);
            long bounded = new OutboxGate(pool, 1500, Duration.ofMillis(200)).await();
            assertTrue(bounded >= TimeUnit.MILLISECONDS.toNanos(200) && bounded < TimeUnit.SECONDS.toNanos(5),
                    "no relay: it waits the longest wait, then goes: " + bounded);
            assertEquals(0, new OutboxGate(pool, 0, Duration.ofSeconds(30)).await(), "a backlog of 0: no gate");
        }
    }

    /** A chunk's worth of committed changes: one outbox row of {@code n} entries. */
    private static void append(javax.sql.DataSource pool, int n) {
        List<Outbox.Entry> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            UUID id = UUID.randomUUID();
            entries.add(Outbox.Entry.state(id, id.toString(), "{}"));
        }
        Tx.run(pool, c -> {
            Outbox.append(c, entries);
            return null;
        });
    }
}

package io.roster.workers.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.roster.contracts.job.BulkAction;
import io.roster.contracts.job.ExportCommand;
import io.roster.contracts.job.InviteChunk;
import io.roster.contracts.job.JobCommand;
import io.roster.contracts.job.JobState;
import io.roster.contracts.job.JobType;
import io.roster.contracts.job.UsersChunk;
import io.roster.persistence.Jobs;
import io.roster.persistence.Outbox;
import io.roster.persistence.Tx;
import io.roster.workers.jobs.ChunkTransaction;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The workers' own meters (beside the JVM's, the pool's and the Kafka clients'):
 * <ul>
 * <li>{@code roster_job_rows_total{type, outcome}}: rows applied (succeeded, failed, skipped), counted once per chunk
 * when its transaction commits (a re-delivered chunk counts nothing), so {@code rate()} is rows per second;</li>
 * <li>{@code roster_job_chunk_seconds{type}}: a chunk's transaction, histogram;</li>
 * <li>{@code roster_jobs_finished_total{type, state}}: jobs finished by their last chunk;</li>
 * <li>{@code roster_jobs_open{type, state}}: jobs queued or running (a database count, refreshed with
 * {@link #refresh});</li>
 * <li>{@code roster_outbox_rows}, {@code roster_outbox_entries}, {@code roster_outbox_oldest_seconds}: what waits to
 * be published and for how long (refreshed likewise);</li>
 * <li>{@code roster_outbox_gate_wait_seconds}: how long chunks waited for the relay to catch up.</li>
 * </ul>
 * Mails and dead letters are counted where they happen ({@code roster_mails_sent_total}, {@code
 * roster_dead_letters_total}).
 */
public final class WorkerMetrics {

    /** Outbox rows counted at most per refresh: the count stays a short index walk however far behind it is. */
    static final int OUTBOX_COUNT_CAP = 100_000;

    private final MeterRegistry registry;
    private final DataSource dataSource;
    private final Map<List<String>, AtomicLong> open = new ConcurrentHashMap<>();
    private final AtomicLong outboxRows = new AtomicLong();
    private final AtomicLong outboxEntries = new AtomicLong();
    private final AtomicLong outboxOldestMillis = new AtomicLong();
    private final Timer gateWait;

    public WorkerMetrics(MeterRegistry registry, DataSource dataSource) {
        this.registry = registry;
        this.dataSource = dataSource;
        for (JobType type : JobType.values()) {
            for (JobState state : List.of(JobState.queued, JobState.running)) {
                AtomicLong value = new AtomicLong();
                open.put(List.of(type.name(), state.name()), value);
                Gauge.builder("roster.jobs.open", value, AtomicLong::get).tag("type", type.name())
                        .tag("state", state.name()).description("jobs queued or running").register(registry);
            }
            for (String outcome : List.of("succeeded", "failed", "skipped")) {
                rows(type.name(), outcome); // present at zero from the start, so rate() has a baseline
            }
        }
        Gauge.builder("roster.outbox.rows", outboxRows, AtomicLong::get)
                .description("outbox rows waiting to be published (counted up to " + OUTBOX_COUNT_CAP + ")")
                .register(registry);
        Gauge.builder("roster.outbox.entries", outboxEntries, AtomicLong::get)
                .description("changes, snapshots and mails in those rows").register(registry);
        Gauge.builder("roster.outbox.oldest", outboxOldestMillis, v -> v.get() / 1000.0).baseUnit("seconds")
                .description("age of the oldest unpublished outbox row").register(registry);
        gateWait = Timer.builder("roster.outbox.gate.wait").description("time chunks waited for the relay")
                .publishPercentileHistogram().register(registry);
    }

    /** The job type a chunk belongs to. */
    public static String type(JobCommand command) {
        if (command instanceof InviteChunk) {
            return JobType.invite.name();
        }
        if (command instanceof ExportCommand) {
            return JobType.export.name();
        }
        BulkAction action = ((UsersChunk) command).action();
        return (action instanceof BulkAction.Tag ? JobType.tag
                : action instanceof BulkAction.Delete ? JobType.delete : JobType.transfer).name();
    }

    /** Counts a chunk's committed transaction (nothing when it had been applied before). */
    public void chunk(JobCommand command, ChunkTransaction.Result result, long nanos) {
        String type = type(command);
        Timer.builder("roster.job.chunk").tag("type", type).description("a job chunk's transaction")
                .publishPercentileHistogram().register(registry).record(Duration.ofNanos(nanos));
        if (!result.appliedNow()) {
            return;
        }
        rows(type, "succeeded").increment(result.succeeded());
        rows(type, "failed").increment(result.failed());
        rows(type, "skipped").increment(result.skipped());
        if (result.finishedState() != null) {
            registry.counter("roster.jobs.finished", "type", type, "state", result.finishedState()).increment();
        }
    }

    public void gateWaited(long nanos) {
        gateWait.record(Duration.ofNanos(nanos));
    }

    private Counter rows(String type, String outcome) {
        return Counter.builder("roster.job.rows").tag("type", type).tag("outcome", outcome)
                .description("job rows applied, by outcome").register(registry);
    }

    /** Reads the open jobs and the outbox backlog from the database into the gauges. */
    public void refresh() {
        Map<List<String>, Long> counts = Tx.run(dataSource, Jobs::openCounts);
        open.forEach((key, value) -> value.set(counts.getOrDefault(key, 0L)));
        Outbox.Backlog backlog = Tx.run(dataSource, c -> Outbox.backlog(c, OUTBOX_COUNT_CAP));
        outboxRows.set(backlog.rows());
        outboxEntries.set(backlog.entries());
        outboxOldestMillis.set(backlog.oldestAge().toMillis());
    }
}

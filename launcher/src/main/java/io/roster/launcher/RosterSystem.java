package io.roster.launcher;

import io.roster.gateway.Gateway;
import io.roster.platform.Settings;
import io.roster.streams.StreamsApp;
import io.roster.workers.Workers;
import io.roster.workers.WorkersConfig;
import io.roster.contracts.job.JobCommand;
import io.roster.workers.consume.ConsumerLoop;
import java.net.URI;
import java.util.Map;

/**
 * The three apps in one process, on one environment of {@code ROSTER_*} settings: the API gateway, the workers and
 * the status topology. Each could as well run alone, in its own process, against the same broker and database.
 */
public final class RosterSystem implements AutoCloseable {

    private final Gateway gateway;
    private final StreamsApp streams;
    private final Workers workers;

    private RosterSystem(Gateway gateway, Workers workers, StreamsApp streams) {
        this.gateway = gateway;
        this.workers = workers;
        this.streams = streams;
    }

    public static RosterSystem start(Map<String, String> env) {
        return start(env, haltAfter(new Settings(env)));
    }

    /**
     * Fault injection for the end-to-end crash tests, which run this launcher as a process of its own:
     * {@code ROSTER_FAULT_HALT_AFTER_CHUNKS} = {@code N} or {@code kind:N} ({@code invite}, {@code users},
     * {@code export}) halts the whole process, as {@code kill -9} would (no shutdown hook, nothing flushed), right
     * after the database commit of its N-th job chunk (of that kind) and before that chunk's offset is committed.
     * Unset, nothing happens.
     */
    static ConsumerLoop.AfterApply<JobCommand> haltAfter(Settings settings) {
        String value = settings.string("ROSTER_FAULT_HALT_AFTER_CHUNKS", null);
        if (value == null) {
            return ConsumerLoop.AfterApply.none();
        }
        String kind = value.contains(":") ? value.substring(0, value.indexOf(':')) : null;
        int after;
        try {
            after = Integer.parseInt(value.substring(value.indexOf(':') + 1));
        } catch (NumberFormatException e) {
            throw new Settings.InvalidSettingException("ROSTER_FAULT_HALT_AFTER_CHUNKS", value,
                    "must be N or kind:N (invite, users, export)");
        }
        java.util.concurrent.atomic.AtomicInteger applied = new java.util.concurrent.atomic.AtomicInteger();
        return command -> {
            String commandKind = command instanceof io.roster.contracts.job.InviteChunk ? "invite"
                    : command instanceof io.roster.contracts.job.UsersChunk ? "users" : "export";
            if ((kind == null || kind.equals(commandKind)) && applied.incrementAndGet() == after) {
                System.err.println("ROSTER_FAULT_HALT_AFTER_CHUNKS: halting after chunk " + command.chunkNo()
                        + " of job " + command.jobId() + " was committed");
                Runtime.getRuntime().halt(137);
            }
        };
    }

    /** With a hook the workers call after each job chunk's commit ({@link #haltAfter}). */
    private static RosterSystem start(Map<String, String> env, ConsumerLoop.AfterApply<JobCommand> afterApply) {
        Gateway gateway = Gateway.start(env);
        Workers workers = null;
        try {
            workers = Workers.start(WorkersConfig.from(new Settings(env)), afterApply);
            StreamsApp streams = StreamsApp.start(env);
            return new RosterSystem(gateway, workers, streams);
        } catch (RuntimeException e) {
            if (workers != null) {
                workers.close();
            }
            gateway.close();
            throw e;
        }
    }

    public URI apiUri() {
        return gateway.uri();
    }

    public int streamsHealthPort() {
        return streams.healthPort();
    }

    public Workers workers() {
        return workers;
    }

    @Override
    public void close() {
        gateway.close();
        streams.close();
        workers.close();
    }
}

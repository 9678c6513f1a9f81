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

    private final Map<String, String> env;
    private final Gateway gateway;
    private final StreamsApp streams;
    private Workers workers;
    private final ConsumerLoop.AfterApply<JobCommand> afterApply;

    private RosterSystem(Map<String, String> env, Gateway gateway, Workers workers, StreamsApp streams,
                         ConsumerLoop.AfterApply<JobCommand> afterApply) {
        this.env = Map.copyOf(env);
        this.afterApply = afterApply;
        this.gateway = gateway;
        this.workers = workers;
        this.streams = streams;
    }

    public static RosterSystem start(Map<String, String> env) {
        return start(env, ConsumerLoop.AfterApply.none());
    }

    /** With a hook the workers call after each job chunk's commit (tests stop the workers there). */
    public static RosterSystem start(Map<String, String> env, ConsumerLoop.AfterApply<JobCommand> afterApply) {
        Gateway gateway = Gateway.start(env);
        Workers workers = null;
        try {
            workers = Workers.start(WorkersConfig.from(new Settings(env)), afterApply);
            StreamsApp streams = StreamsApp.start(env);
            return new RosterSystem(env, gateway, workers, streams, afterApply);
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

    /** Stops the workers as they are and starts a fresh instance, as a process restart would. */
    public void restartWorkers() {
        workers.close();
        // the new instance keeps the hook: a test decides itself when (and whether again) a worker dies
        workers = Workers.start(WorkersConfig.from(new Settings(env)), afterApply);
    }

    @Override
    public void close() {
        gateway.close();
        streams.close();
        workers.close();
    }
}

package io.roster.contracts.job;

/** The life of a job: queued, running, then one of the four terminal states. */
public enum JobState {
    queued, running, succeeded, partially_succeeded, failed, cancelled;

    public boolean terminal() {
        return this != queued && this != running;
    }
}

package io.roster.testsupport;

/**
 * Stands for a process dying at a chosen point of a flow: thrown from a test hook, it is an Error, so the code
 * under test neither retries it nor commits anything after it (offsets included).
 */
public final class SimulatedCrash extends Error {
    public SimulatedCrash(String where) {
        super("simulated crash " + where);
    }
}

package io.roster.workers.consume;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Tells a failure that may pass (retry it with back-off) from one that will fail again the same way (report it,
 * dead-letter the record and move on), and describes a failure without the data it was about.
 *
 * <p>Transient: lost or refused connections (SQLSTATE class 08, I/O errors), serialization failures and deadlocks
 * (40001, 40P01), a unique violation (23505: a concurrent insert of the same key), a lock not available (55P03),
 * resources exhausted or the server shutting down (classes 53, 57P, 58), a connection pool's time-out, and Kafka's
 * retriable errors. Everything else is deterministic: data errors
 * (class 22: a NUL byte, a value too long), other constraint violations (class 23), statements that cannot run (42), and
 * any other exception of our own code, which a retry would only repeat while the partition's other records wait.
 */
public final class Failures {

    /**
     * Serialization failure, deadlock, lock not available, server shutting down; and a unique violation, which is
     * what a concurrent insert of the same key (the same email invited by two jobs at once) looks like: the retry
     * reads the other's commit and reports the row instead.
     */
    private static final Set<String> TRANSIENT_STATES = Set.of("40001", "40P01", "55P03", "57P01", "57P02", "57P03",
            "23505");
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "53", "58");

    private Failures() {
    }

    /** Whether retrying the same work later may succeed. */
    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof FatalRecordException) {
                return false;
            }
            if (t instanceof RetriableException || t instanceof IOException || t instanceof UncheckedIOException
                    || t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof InterruptedException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                SQLException first = innermost(sql);
                String state = first.getSQLState();
                if (state == null) {
                    // the driver's own failures without a state are I/O trouble (a broken connection)
                    return first.getCause() instanceof IOException;
                }
                return TRANSIENT_STATES.contains(state) || TRANSIENT_CLASSES.contains(state.substring(0, 2));
            }
        }
        return false;
    }

    /**
     * A description of the failure fit for a job's failure reason, a dead letter's header and the log: the
     * database's primary message and SQLSTATE, never the statement or the values it carried (a failed batch's
     * message quotes its whole INSERT, with names and emails).
     */
    public static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                SQLException first = innermost(sql);
                String message = first.getMessage() == null ? "" : first.getMessage();
                int newline = message.indexOf('\n');
                message = (newline < 0 ? message : message.substring(0, newline)).replaceFirst("^ERROR: ", "");
                if (first instanceof BatchUpdateException || message.contains("Batch entry")) {
                    message = "a batch statement failed";
                }
                return message + (first.getSQLState() == null ? "" : " (SQLSTATE " + first.getSQLState() + ")");
            }
        }
        String type = failure.getClass().getSimpleName();
        return failure instanceof FatalRecordException && failure.getMessage() != null ? failure.getMessage()
                : type + (failure.getMessage() == null ? "" : ": " + firstLine(failure.getMessage()));
    }

    /** The failure the database reported, not the batch wrapper around it. */
    private static SQLException innermost(SQLException sql) {
        SQLException current = sql;
        while (current instanceof BatchUpdateException && current.getNextException() != null) {
            current = current.getNextException();
        }
        return current;
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        String line = newline < 0 ? text : text.substring(0, newline);
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}

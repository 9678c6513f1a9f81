package io.roster.workers.consume;

/** A record that will never be processed, whatever the retries: it goes to the dead-letter topic. */
public class FatalRecordException extends RuntimeException {
    public FatalRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.roster.contracts.serde;

/** A record that can never be processed (bad JSON, unknown type): fatal for the record, never retried. */
public class MalformedRecordException extends RuntimeException {
    public MalformedRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.roster.workers.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import io.roster.persistence.Tx;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    private static RuntimeException db(String state) {
        return new Tx.DataAccessException(new SQLException("ERROR: something", state));
    }

    @Test
    void failuresThatMayPassAreTransient() {
        assertTrue(Failures.isTransient(db("08006")), "connection failure");
        assertTrue(Failures.isTransient(db("40001")), "serialization failure");
        assertTrue(Failures.isTransient(db("40P01")), "deadlock");
        assertTrue(Failures.isTransient(db("57P01")), "admin shutdown");
        assertTrue(Failures.isTransient(db("53300")), "too many connections");
        assertTrue(Failures.isTransient(db("23505")), "a concurrent insert of the same key");
        assertTrue(Failures.isTransient(new Tx.DataAccessException(new SQLTransientConnectionException("pool"))));
        assertTrue(Failures.isTransient(new IllegalStateException(new NotEnoughReplicasException("broker"))));
        assertTrue(Failures.isTransient(new UncheckedIOException(new IOException("SMTP down"))));
    }

    @Test
    void failuresThatWillRepeatAreDeterministic() {
        assertFalse(Failures.isTransient(db("22021")), "NUL byte");
        assertFalse(Failures.isTransient(db("22001")), "value too long");
        assertFalse(Failures.isTransient(db("23514")), "check constraint");
        assertFalse(Failures.isTransient(db("23503")), "foreign key");
        assertFalse(Failures.isTransient(db("42601")), "syntax");
        assertFalse(Failures.isTransient(new RecordTooLargeException("too large")));
        assertFalse(Failures.isTransient(new IllegalArgumentException("bad")));
        assertFalse(Failures.isTransient(new NullPointerException()));
        assertFalse(Failures.isTransient(new FatalRecordException("never", db("08006"))));
    }

    @Test
    void aDescriptionNamesTheDatabaseErrorButNeverTheStatementOrItsValues() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 INSERT INTO users (email, first_name) "
                + "VALUES ('ada@example.com', 'Ada') was aborted: ERROR: invalid byte sequence", "22021", new int[0]);
        batch.setNextException(new SQLException("ERROR: invalid byte sequence for encoding \"UTF8\": 0x00\n"
                + "  Where: unnamed portal parameter $2 = 'Ada'", "22021"));
        String description = Failures.describe(new Tx.DataAccessException(batch));
        assertEquals("invalid byte sequence for encoding \"UTF8\": 0x00 (SQLSTATE 22021)", description);
        assertFalse(Failures.describe(new Tx.DataAccessException(new BatchUpdateException("Batch entry 0 INSERT "
                + "INTO users VALUES ('ada@example.com')", "23514", new int[0]))).contains("ada@example.com"));
    }
}

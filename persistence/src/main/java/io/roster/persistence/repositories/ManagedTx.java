package io.roster.persistence.repositories;

import io.micronaut.transaction.TransactionOperations;
import io.roster.persistence.Tx;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * {@link Tx}'s contract in a Micronaut application: the work runs in one transaction, committed when it returns and
 * rolled back when it throws, and a database failure surfaces as {@link Tx.DataAccessException}. The transaction is
 * Micronaut Data's, so a repository called inside the work joins it: hand-written SQL on the given connection and
 * repository calls commit or roll back together.
 */
@Singleton
public final class ManagedTx {

    private final TransactionOperations<Connection> transactions;

    public ManagedTx(TransactionOperations<Connection> transactions) {
        this.transactions = transactions;
    }

    public <T> T run(Tx.Work<T> work) {
        try {
            return transactions.executeWrite(status -> {
                try {
                    return work.apply(status.getConnection());
                } catch (SQLException e) {
                    throw new Tx.DataAccessException(e);
                }
            });
        } catch (io.micronaut.transaction.exceptions.TransactionException e) {
            // a failed commit or rollback: the driver's error, with its SQL state, underneath
            if (e.getCause() instanceof SQLException sql) {
                throw new Tx.DataAccessException(sql);
            }
            throw e;
        }
    }
}

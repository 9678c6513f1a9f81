package io.roster.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A transaction whose connection the failure broke: the rollback fails too (as a pool's closed connection does,
 * "Connection is closed" without a SQLSTATE), and the caller still sees the first failure, by which a lost server
 * (SQLSTATE 57P01, retried) is told from a bad row (dead-lettered). The fault suite found chunks dead-lettered when
 * PostgreSQL was killed: the rollback's failure had replaced the server's.
 */
class TxTest {

    @Test
    void theFirstFailureIsThrownWhenTheRollbackFailsToo() {
        Connection broken = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getAutoCommit" -> true;
                    case "setAutoCommit", "close" -> null;
                    case "rollback" -> throw new SQLException("Connection is closed");
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        DataSource dataSource = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> broken);
        Tx.DataAccessException thrown = assertThrows(Tx.DataAccessException.class, () -> Tx.run(dataSource, c -> {
            throw new SQLException("terminating connection due to administrator command", "57P01");
        }));
        assertEquals("57P01", thrown.sqlState());
        assertEquals("Connection is closed", thrown.getCause().getSuppressed()[0].getMessage());
    }
}

package io.roster.persistence;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.roster.platform.Health;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** The database health check is DOWN with the reason when nothing answers, and when the pool is closed. */
class DatabaseCheckTest {

    @Test
    void aDatabaseThatDoesNotAnswerIsDownWithTheReason() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + closed + "/roster");
        config.setUsername("roster");
        config.setInitializationFailTimeout(-1); // the pool starts without its database, as after a restart
        config.setPoolName("check-test");
        try (HikariDataSource pool = new HikariDataSource(config)) {
            Health.Check check = Database.check(pool);
            assertFalse(check.up());
            assertTrue(check.detail().startsWith("no answer: 08001"), check.detail());
        }
        HikariDataSource closedPool = new HikariDataSource(config);
        closedPool.close();
        assertFalse(Database.check(closedPool).up());
    }
}

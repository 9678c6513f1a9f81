package io.roster.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** Connection pools and schema migrations. Migrations are safe to run from several processes at once. */
public final class Database {

    private Database() {
    }

    /** A pool on the settings' schema (created by {@link #migrate} when missing). */
    public static HikariDataSource pool(DbSettings settings, String poolName) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setSchema(settings.schema());
        config.setMaximumPoolSize(settings.poolSize());
        config.setAutoCommit(true);
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        config.addDataSourceProperty("ApplicationName", poolName);
        return new HikariDataSource(config);
    }

    /**
     * A health check of the pool's database: a connection of its own (never one of the pool's, which a busy app may
     * all have taken) answers {@code SELECT 1} within two seconds; the detail says so with the pool's busy, idle and
     * waiting counts, or why it did not.
     */
    public static io.roster.platform.Health.Check check(HikariDataSource pool) {
        if (pool.isClosed()) {
            return io.roster.platform.Health.Check.down("the pool is closed");
        }
        java.util.Properties props = new java.util.Properties();
        props.setProperty("user", pool.getUsername());
        if (pool.getPassword() != null) {
            props.setProperty("password", pool.getPassword());
        }
        props.setProperty("connectTimeout", "2");
        props.setProperty("socketTimeout", "2");
        props.setProperty("ApplicationName", pool.getPoolName() + "-health");
        try (java.sql.Connection connection = new org.postgresql.Driver().connect(pool.getJdbcUrl(), props);
             java.sql.Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
            var stats = pool.getHikariPoolMXBean();
            return io.roster.platform.Health.Check.up(stats == null ? "answers"
                    : "answers; pool: " + stats.getActiveConnections() + " busy, " + stats.getIdleConnections()
                    + " idle, " + stats.getThreadsAwaitingConnection() + " waiting");
        } catch (java.sql.SQLException e) {
            return io.roster.platform.Health.Check.down("no answer: " + e.getSQLState() + " " + e.getMessage());
        }
    }

    /** Brings {@code schema} up to the newest migration under {@code db/migration}. */
    public static void migrate(DataSource dataSource, String schema) {
        Flyway.configure()
                .dataSource(dataSource)
                .schemas(schema)
                .defaultSchema(schema)
                .createSchemas(true)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }
}

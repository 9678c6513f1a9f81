package io.roster.testsupport;

import com.zaxxer.hikari.HikariDataSource;
import io.roster.persistence.Database;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's own migrated schema ({@link TestEnv#database}) and a connection pool on it, for tests of the
 * database alone: {@code @RegisterExtension static final TestDatabase DB = new TestDatabase("label");}, then
 * {@code DB.pool()}. Made before the class's own {@code @BeforeAll} methods run, closed after its tests.
 */
public final class TestDatabase implements BeforeAllCallback, AfterAllCallback {

    private final String label;
    private TestEnv env;
    private HikariDataSource pool;

    public TestDatabase(String label) {
        this.label = label;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        env = TestEnv.database(label);
        pool = Database.pool(env.db(), "test");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        pool.close();
    }

    public HikariDataSource pool() {
        return pool;
    }

    public TestEnv env() {
        return env;
    }
}

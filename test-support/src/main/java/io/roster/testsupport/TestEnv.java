package io.roster.testsupport;

import io.roster.contracts.Topics;
import io.roster.persistence.Database;
import io.roster.persistence.DbSettings;
import io.roster.platform.KafkaSettings;
import io.roster.platform.TopicProvisioner;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * One test class's slice of the shared infrastructure: its own topic prefix and its own database schema, so
 * test classes never see each other's records or rows. {@link #env()} is the environment an app under test
 * reads, as it would read {@code ROSTER_*} variables in production.
 */
public final class TestEnv {

    private final Infra infra;
    private final String name;
    private final Map<String, String> env;

    private TestEnv(Infra infra, String name, boolean kafka) {
        this.infra = infra;
        this.name = name;
        Map<String, String> map = new HashMap<>();
        if (kafka) {
            map.put("ROSTER_KAFKA_BOOTSTRAP_SERVERS", infra.bootstrapServers());
        }
        map.put("ROSTER_TOPIC_PREFIX", name + ".");
        map.put("ROSTER_TOPIC_PARTITIONS", "4");
        map.put("ROSTER_DB_URL", infra.jdbcUrl());
        map.put("ROSTER_DB_USER", infra.jdbcUser());
        map.put("ROSTER_DB_PASSWORD", infra.jdbcPassword());
        map.put("ROSTER_DB_SCHEMA", name);
        map.put("ROSTER_DB_POOL_SIZE", "8");
        this.env = Map.copyOf(map);
    }

    /** A fresh prefix and schema; the topics are created and the schema migrated. */
    public static TestEnv create(String label) {
        TestEnv env = new TestEnv(Infra.get(), name(label), true);
        TopicProvisioner.ensureTopics(env.kafka());
        env.migrate();
        return env;
    }

    /** A fresh, migrated schema, for tests of the database alone: no broker is started for them. */
    public static TestEnv database(String label) {
        TestEnv env = new TestEnv(Infra.get(), name(label), false);
        env.migrate();
        return env;
    }

    private static String name(String label) {
        return "t_" + label.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT) + "_"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    private void migrate() {
        try (var pool = Database.pool(db(), name + "-migrate")) {
            Database.migrate(pool, name);
        }
    }

    public Infra infra() {
        return infra;
    }

    public String name() {
        return name;
    }

    public Map<String, String> env() {
        return env;
    }

    /** The environment with some settings changed or added. */
    public Map<String, String> env(Map<String, String> overrides) {
        Map<String, String> map = new HashMap<>(env);
        map.putAll(overrides);
        return map;
    }

    public KafkaSettings kafka() {
        return KafkaSettings.from(new io.roster.platform.Settings(env));
    }

    public Topics topics() {
        return kafka().topics();
    }

    public DbSettings db() {
        return DbSettings.from(new io.roster.platform.Settings(env));
    }
}

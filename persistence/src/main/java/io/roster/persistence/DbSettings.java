package io.roster.persistence;

import io.roster.platform.Settings;

/**
 * Where the database is. Environment: {@code ROSTER_DB_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/roster}), {@code ROSTER_DB_USER} and {@code ROSTER_DB_PASSWORD}
 * (default {@code roster}), {@code ROSTER_DB_SCHEMA} (default {@code roster}), {@code ROSTER_DB_POOL_SIZE}
 * (default 10).
 */
public record DbSettings(String url, String user, String password, String schema, int poolSize) {

    public DbSettings {
        if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new Settings.InvalidSettingException("ROSTER_DB_SCHEMA", schema, "must be a plain lower-case identifier");
        }
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new Settings.InvalidSettingException("ROSTER_DB_URL", url, "must be a jdbc:postgresql: URL");
        }
    }

    public DbSettings withPoolSize(int size) {
        return new DbSettings(url, user, password, schema, size);
    }

    public static DbSettings from(Settings settings) {
        return new DbSettings(
                settings.string("ROSTER_DB_URL", "jdbc:postgresql://127.0.0.1:5432/roster"),
                settings.string("ROSTER_DB_USER", "roster"),
                settings.string("ROSTER_DB_PASSWORD", "roster"),
                settings.string("ROSTER_DB_SCHEMA", "roster"),
                settings.integer("ROSTER_DB_POOL_SIZE", 10, 1, 500));
    }
}

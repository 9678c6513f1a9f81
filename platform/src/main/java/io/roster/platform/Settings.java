package io.roster.platform;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.Objects;

/**
 * Typed, validated reads of {@code ROSTER_*} settings from a map of environment variables. A wrong value fails
 * at start-up with a message that names the variable, what it holds and what it must be.
 */
public final class Settings {

    private final Map<String, String> env;
    private final Set<String> requested = Collections.synchronizedSet(new LinkedHashSet<>());

    public Settings(Map<String, String> env) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
    }

    public static Settings fromEnvironment() {
        return new Settings(System.getenv());
    }

    /** Every setting name read so far, in order: what an app's environment may hold. */
    public Set<String> requested() {
        synchronized (requested) {
            return Set.copyOf(requested);
        }
    }

    public String string(String name, String defaultValue) {
        requested.add(name);
        String value = env.get(name);
        return value == null || value.isBlank() ? defaultValue : value.strip();
    }

    public String required(String name) {
        String value = string(name, null);
        if (value == null) {
            throw new InvalidSettingException(name, null, "is required");
        }
        return value;
    }

    public int integer(String name, int defaultValue, int min, int max) {
        String value = string(name, null);
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                throw new InvalidSettingException(name, value, "must be between " + min + " and " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(name, value, "must be a whole number");
        }
    }

    /** An ISO-8601 duration such as {@code PT30S} or {@code P30D}; must be positive. */
    public Duration duration(String name, Duration defaultValue) {
        String value = string(name, null);
        if (value == null) {
            return defaultValue;
        }
        try {
            Duration parsed = Duration.parse(value);
            if (parsed.isNegative() || parsed.isZero()) {
                throw new InvalidSettingException(name, value, "must be a positive duration");
            }
            return parsed;
        } catch (DateTimeParseException e) {
            throw new InvalidSettingException(name, value, "must be an ISO-8601 duration such as PT30S or P30D");
        }
    }

    /** A setting that is missing or malformed; the message names it. */
    public static final class InvalidSettingException extends IllegalArgumentException {
        public InvalidSettingException(String name, String value, String reason) {
            super("setting " + name + (value == null ? "" : "='" + value + "'") + " " + reason);
        }
    }
}

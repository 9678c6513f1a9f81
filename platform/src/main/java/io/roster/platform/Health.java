package io.roster.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * An app's health as named checks, each UP or DOWN with the reason: the app is UP when every check is. A check that
 * throws is DOWN with what it threw. Rendered as {@code {"status":"UP","checks":{"database":{"status":"UP",
 * "detail":"..."},...}}}.
 */
public final class Health {

    /** One check's answer. */
    public record Check(boolean up, String detail) {
        public static Check up(String detail) {
            return new Check(true, detail);
        }

        public static Check down(String detail) {
            return new Check(false, detail);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Supplier<Check>> checks = new LinkedHashMap<>();

    /** Adds a check, shown in the order added. */
    public Health with(String name, Supplier<Check> check) {
        checks.put(name, check);
        return this;
    }

    /** Runs every check. */
    public Report report() {
        Map<String, Check> results = new LinkedHashMap<>();
        checks.forEach((name, check) -> {
            Check result;
            try {
                result = check.get();
            } catch (RuntimeException e) {
                result = Check.down(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            results.put(name, result);
        });
        return new Report(results);
    }

    /** The checks' answers. */
    public record Report(Map<String, Check> checks) {
        public boolean up() {
            return checks.values().stream().allMatch(Check::up);
        }

        public String json() {
            ObjectNode root = JSON.createObjectNode();
            root.put("status", up() ? "UP" : "DOWN");
            ObjectNode each = root.putObject("checks");
            checks.forEach((name, check) -> each.putObject(name).put("status", check.up() ? "UP" : "DOWN")
                    .put("detail", check.detail()));
            return root.toString();
        }
    }
}

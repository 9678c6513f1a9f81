package io.roster.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What in a schema's new version would break a consumer written against its released one: a property removed or
 * renamed, a changed type (a value that may now be null included), format or constant, a property no longer
 * required, a narrowed enum; in nested objects and array items too. Adding properties breaks nobody.
 */
final class SchemaCompatibility {

    private SchemaCompatibility() {
    }

    static List<String> breaks(String path, JsonNode released, JsonNode current) {
        List<String> breaks = new ArrayList<>();
        compare(path, released, current, breaks);
        return breaks;
    }

    private static void compare(String path, JsonNode released, JsonNode current, List<String> breaks) {
        Set<String> oldTypes = types(released);
        Set<String> newTypes = types(current);
        if (!oldTypes.containsAll(newTypes)) {
            breaks.add(path + ": type " + oldTypes + " became " + newTypes);
        }
        if (!released.path("format").equals(current.path("format"))) {
            breaks.add(path + ": format " + released.path("format") + " became " + current.path("format"));
        }
        if (released.has("const") && !released.get("const").equals(current.get("const"))) {
            breaks.add(path + ": constant " + released.get("const") + " became " + current.get("const"));
        }
        if (released.has("enum")) {
            Set<JsonNode> newValues = new HashSet<>();
            current.path("enum").forEach(newValues::add);
            for (JsonNode value : released.get("enum")) {
                if (!newValues.contains(value)) {
                    breaks.add(path + ": enum lost " + value);
                }
            }
        }
        Set<String> required = new HashSet<>();
        current.path("required").forEach(r -> required.add(r.asText()));
        for (JsonNode name : released.path("required")) {
            if (!required.contains(name.asText())) {
                breaks.add(path + "." + name.asText() + ": no longer required");
            }
        }
        released.path("properties").fields().forEachRemaining(property -> {
            JsonNode now = current.path("properties").get(property.getKey());
            if (now == null) {
                breaks.add(path + "." + property.getKey() + ": removed or renamed");
            } else {
                compare(path + "." + property.getKey(), property.getValue(), now, breaks);
            }
        });
        if (released.has("items")) {
            compare(path + "[]", released.get("items"), current.path("items"), breaks);
        }
    }

    private static Set<String> types(JsonNode schema) {
        Set<String> types = new HashSet<>();
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            type.forEach(t -> types.add(t.asText()));
        } else if (type.isTextual()) {
            types.add(type.asText());
        }
        return types;
    }
}

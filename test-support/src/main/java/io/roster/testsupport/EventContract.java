package io.roster.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.roster.contracts.event.UserChangeEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Checks records of the public topics as a downstream consumer reads them: a change event through the CloudEvents
 * SDK's Kafka binding, then its envelope and its data against their JSON Schemas (the files in contracts); a
 * snapshot against its schema. Every end-to-end test that reads those topics passes each record through here.
 */
public final class EventContract {

    /** Where contracts keeps the schemas, on the classpath. */
    public static final String SCHEMAS = "io/roster/contracts/schemas/";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true)
                    .build()));
    private static final Map<String, Schema> LOADED = new ConcurrentHashMap<>();

    private EventContract() {
    }

    /** Checks a record of a public topic (the change or the snapshot topic, whatever its prefix); others pass. */
    public static void check(ConsumerRecord<String, byte[]> record) {
        if (record.topic().endsWith("user-changes.v1")) {
            checkChange(record);
        } else if (record.topic().endsWith("users.v1")) {
            checkSnapshot(record);
        } else if (record.topic().endsWith("logins.v1") || record.topic().endsWith("user-status.v1")) {
            checkBinary(record);
        }
    }

    /**
     * A record of the logins or the status topic as Roster produces it: a CloudEvent in binary mode (the SDK reads
     * its ce_* headers), its value the data, valid against the schema its dataschema names.
     */
    public static CloudEvent checkBinary(ConsumerRecord<String, byte[]> record) {
        CloudEvent event = KafkaMessageFactory.createReader(record).toEvent();
        assertEquals(record.key(), event.getSubject(), "the key is the user id, the event's subject");
        assertEquals("application/json", event.getDataContentType());
        assertEquals(UserChangeEvent.SCHEMA_PREFIX + event.getType(), String.valueOf(event.getDataSchema()));
        assertValid(event.getType(), read(record.value()));
        return event;
    }

    /**
     * A record of the change topic: read by the CloudEvents SDK from the Kafka binding (structured mode), its
     * attributes as the envelope's schema says, its data as the schema its {@code dataschema} names.
     *
     * @return the event as the SDK read it
     */
    public static CloudEvent checkChange(ConsumerRecord<String, byte[]> record) {
        CloudEvent event = KafkaMessageFactory.createReader(record).toEvent();
        assertEquals(record.key(), event.getSubject(), "the key is the user id, the event's subject");
        assertNotNull(event.getDataSchema(), "dataschema");
        JsonNode value = read(record.value());
        assertValid(UserChangeEvent.ENVELOPE_SCHEMA, value);
        String schema = event.getDataSchema().toString();
        assertTrue(schema.startsWith(UserChangeEvent.SCHEMA_PREFIX), schema);
        assertEquals(UserChangeEvent.SCHEMA_PREFIX + event.getType(), schema, "dataschema names the type's schema");
        assertValid(schema.substring(UserChangeEvent.SCHEMA_PREFIX.length()), value.get("data"));
        assertEquals(value.get("data"), read(event.getData().toBytes()), "the SDK reads the same data");
        return event;
    }

    /** A record of the snapshot topic: a user's whole state, every field present, or a tombstone. */
    public static void checkSnapshot(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        JsonNode value = read(record.value());
        assertValid(UserChangeEvent.SNAPSHOT_SCHEMA, value);
        assertEquals(record.key(), value.get("id").asText(), "the key is the user id");
    }

    /** Fails with every violation when {@code node} does not satisfy the schema named {@code name}. */
    public static void assertValid(String name, JsonNode node) {
        List<com.networknt.schema.Error> errors = schema(name).validate(node);
        if (!errors.isEmpty()) {
            fail(name + ": " + errors + " in " + node);
        }
    }

    /** The violations of the schema named {@code name} by {@code node}, as messages. */
    public static List<String> errors(String name, JsonNode node) {
        return schema(name).validate(node).stream().map(com.networknt.schema.Error::getMessage).toList();
    }

    /** A schema file of contracts, parsed, by its name ({@code io.roster.user.invited.v1}). */
    public static JsonNode schemaDocument(String name) {
        try (InputStream in = resource(name)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Schema schema(String name) {
        return LOADED.computeIfAbsent(name, n -> {
            try (InputStream in = resource(n)) {
                return REGISTRY.getSchema(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static InputStream resource(String name) {
        InputStream in = EventContract.class.getClassLoader().getResourceAsStream(SCHEMAS + name + ".json");
        if (in == null) {
            throw new IllegalArgumentException("no schema " + name + " in contracts");
        }
        return in;
    }

    private static JsonNode read(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + new String(bytes, java.nio.charset.StandardCharsets.UTF_8), e);
        }
    }
}

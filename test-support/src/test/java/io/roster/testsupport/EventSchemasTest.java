package io.roster.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.roster.contracts.event.UserChange;
import io.roster.contracts.event.UserChangeEvent;
import io.roster.contracts.event.UserDeleted;
import io.roster.contracts.event.UserInvited;
import io.roster.contracts.event.UserLoggedOut;
import io.roster.contracts.event.UserSnapshot;
import io.roster.contracts.event.UserStatusChanged;
import io.roster.contracts.event.UserTagsChanged;
import io.roster.contracts.event.UserTransferred;
import io.roster.contracts.event.UserUpdated;
import io.roster.contracts.serde.Json;
import io.roster.contracts.user.Role;
import io.roster.contracts.user.UserStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/**
 * The public topics' schemas against the types that produce them: one event of each type, with every optional
 * value absent and with every value present, goes through the relay's CloudEvents binding and satisfies its
 * schemas; the schemas list exactly the types there are; and no schema breaks a consumer of the last release.
 */
class EventSchemasTest {

    static final UUID USER = UUID.randomUUID();
    static final UUID ORG = UUID.randomUUID();
    static final UUID ACTOR = UUID.randomUUID();
    static final Instant AT = Instant.parse("2026-12-01T10:15:30.123456Z");

    /** One of each kind of change: with null where the schema allows it, and with a value there. */
    static List<UserChange> samples() {
        UUID job = UUID.randomUUID();
        return List.of(
                new UserInvited(USER, ORG, "ada@x.example", "Ada", "Lovelace", Role.Staff, null, List.of(),
                        UserStatus.pending, AT, null, null),
                new UserInvited(USER, ORG, "ada@x.example", "Ada", "Lovelace", Role.Admin, "London",
                        List.of("vip", "beta"), UserStatus.pending, AT, ACTOR, job),
                new UserUpdated(USER, ORG, "Ada", "King", Role.User, null, List.of(), AT, null),
                new UserUpdated(USER, ORG, "Ada", "King", Role.User, "Ockham", List.of("vip"), AT, ACTOR),
                new UserTagsChanged(USER, ORG, List.of("vip"), List.of(), List.of("beta", "vip"), AT, ACTOR, job),
                new UserTagsChanged(USER, ORG, List.of(), List.of("vip"), List.of(), AT, null, null),
                new UserTransferred(USER, ORG, UUID.randomUUID(), Role.Staff, AT, ACTOR, job),
                new UserStatusChanged(USER, ORG, UserStatus.pending, UserStatus.active, AT, AT),
                new UserStatusChanged(USER, ORG, UserStatus.active, UserStatus.inactive, AT, null),
                new UserLoggedOut(USER, ORG, "forced", AT, ACTOR),
                new UserLoggedOut(USER, ORG, "password-changed", AT, null),
                new UserDeleted(USER, ORG, AT, ACTOR, job),
                new UserDeleted(USER, ORG, AT, null, null));
    }

    /** The record the outbox relay sends for {@code event}, as a consumer receives it. */
    static ConsumerRecord<String, byte[]> asRelayed(UserChangeEvent event) {
        ProducerRecord<String, byte[]> sent = KafkaMessageFactory.createWriter("roster.user-changes.v1",
                event.subject()).setEvent(new JsonFormat(), Json.write(event));
        return new ConsumerRecord<>(sent.topic(), 0, 0L, 0L, TimestampType.CREATE_TIME, 0, 0, sent.key(),
                sent.value(), sent.headers(), java.util.Optional.empty());
    }

    @Test
    void everyKindOfChangeIsACloudEventTheSdkReadsAndItsSchemasAccept() {
        Set<String> seen = new HashSet<>();
        for (UserChange change : samples()) {
            UserChangeEvent event = UserChangeEvent.of(UUID.randomUUID(), AT, change);
            ConsumerRecord<String, byte[]> record = asRelayed(event);
            assertEquals("application/cloudevents+json",
                    new String(record.headers().lastHeader("content-type").value()), "structured mode");
            CloudEvent read = EventContract.checkChange(record);
            assertEquals(event.id().toString(), read.getId());
            assertEquals(event.type(), read.getType());
            assertEquals(AT, read.getTime().toInstant());
            assertEquals("/roster/workers", read.getSource().toString());
            assertEquals("application/json", read.getDataContentType());
            seen.add(read.getType());
        }
        assertEquals(Set.copyOf(UserChangeEvent.TYPES), seen, "a sample of every type");
    }

    @Test
    void loginsAndStatusTransitionsAreBinaryModeCloudEventsWhoseValueIsTheirData() {
        io.roster.contracts.event.LoginSucceeded login = new io.roster.contracts.event.LoginSucceeded(USER, null,
                AT, null);
        io.roster.contracts.event.StatusChanged transition = new io.roster.contracts.event.StatusChanged(USER, ORG,
                UserStatus.pending, UserStatus.active, AT, AT);
        for (Object[] sample : new Object[][] {{login, io.roster.contracts.event.LoginSucceeded.TYPE, UUID.randomUUID()},
                {transition, io.roster.contracts.event.StatusChanged.TYPE, transition.eventId()}}) {
            ProducerRecord<String, byte[]> sent = io.roster.platform.CloudEventRecords.binary("roster.logins.v1",
                    USER.toString(), (UUID) sample[2], (String) sample[1], "/roster/test", AT, USER.toString(),
                    Json.write(sample[0]));
            ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(sent.topic(), 0, 0L, 0L,
                    TimestampType.CREATE_TIME, 0, 0, sent.key(), sent.value(), sent.headers(),
                    java.util.Optional.empty());
            CloudEvent read = EventContract.checkBinary(record);
            assertEquals(sample[1], read.getType());
            assertEquals(new String(Json.write(sample[0])), new String(record.value()), "the value is the data");
        }
        assertEquals(transition.eventId(), new io.roster.contracts.event.StatusChanged(USER, ORG, UserStatus.pending,
                UserStatus.active, AT, AT).eventId(), "the same transition, the same id");
    }

    @Test
    void theEnvelopeListsExactlyTheTypesThereAreEachWithItsSchema() {
        JsonNode envelope = EventContract.schemaDocument(UserChangeEvent.ENVELOPE_SCHEMA);
        List<String> types = new ArrayList<>();
        envelope.at("/properties/type/enum").forEach(t -> types.add(t.asText()));
        assertEquals(UserChangeEvent.TYPES, types);
        List<String> schemas = new ArrayList<>();
        envelope.at("/properties/dataschema/enum").forEach(t -> schemas.add(t.asText()));
        assertEquals(UserChangeEvent.TYPES.stream().map(t -> UserChangeEvent.SCHEMA_PREFIX + t).toList(), schemas);
        for (String type : UserChangeEvent.TYPES) {
            assertEquals(UserChangeEvent.SCHEMA_PREFIX + type, EventContract.schemaDocument(type).get("$id").asText());
        }
    }

    @Test
    void aSnapshotHasEveryFieldNullWhenItHasNoValue_andTheSchemaBites() throws Exception {
        UserSnapshot snapshot = new UserSnapshot(USER, ORG, "ada@x.example", "Ada", "Lovelace", Role.User, null,
                List.of(), UserStatus.pending, null, AT, AT);
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(Json.write(snapshot));
        assertTrue(json.has("location") && json.get("location").isNull(), "null explicit: " + json);
        assertTrue(json.has("lastLoginAt") && json.get("lastLoginAt").isNull(), "null explicit: " + json);
        EventContract.assertValid(UserChangeEvent.SNAPSHOT_SCHEMA, json);

        ObjectNode missing = json.deepCopy();
        missing.remove("lastLoginAt");
        assertFalse(EventContract.errors(UserChangeEvent.SNAPSHOT_SCHEMA, missing).isEmpty(), "a field left out");
        ObjectNode extra = json.deepCopy();
        extra.put("password", "x");
        assertFalse(EventContract.errors(UserChangeEvent.SNAPSHOT_SCHEMA, extra).isEmpty(), "a field not described");
        ObjectNode badRole = json.deepCopy();
        badRole.put("role", "Owner");
        assertFalse(EventContract.errors(UserChangeEvent.SNAPSHOT_SCHEMA, badRole).isEmpty(), "a value not listed");
        ObjectNode badTime = json.deepCopy();
        badTime.put("invitedAt", "yesterday");
        assertFalse(EventContract.errors(UserChangeEvent.SNAPSHOT_SCHEMA, badTime).isEmpty(), "a format");

        ConsumerRecord<String, byte[]> wrongKey = new ConsumerRecord<>("roster.users.v1", 0, 0L,
                UUID.randomUUID().toString(), Json.write(snapshot));
        assertThrows(AssertionError.class, () -> EventContract.checkSnapshot(wrongKey));
    }

    @Test
    void noSchemaBreaksAConsumerOfTheLastRelease() throws IOException {
        Path released;
        try (Stream<Path> releases = Files.list(Path.of("../contracts/schemas-released"))) {
            released = releases.filter(Files::isDirectory).max(Comparator.comparing(Path::getFileName))
                    .orElseThrow();
        }
        List<String> breaks = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.list(released)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                String name = file.getFileName().toString().replaceFirst("\\.json$", "");
                JsonNode current;
                try {
                    current = EventContract.schemaDocument(name);
                } catch (IllegalArgumentException e) {
                    breaks.add(name + ": removed");
                    continue;
                }
                breaks.addAll(SchemaCompatibility.breaks(name, json.readTree(file.toFile()), current));
            }
        }
        assertEquals(List.of(), breaks, "against " + released);
    }

    @Test
    void theCompatibilityCheckFindsEachKindOfBreak() throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode released = EventContract.schemaDocument(UserChangeEvent.SNAPSHOT_SCHEMA);
        assertEquals(List.of(), SchemaCompatibility.breaks("s", released, released));

        ObjectNode removed = released.deepCopy();
        ((ObjectNode) removed.get("properties")).remove("location");
        assertFalse(SchemaCompatibility.breaks("s", released, removed).isEmpty(), "a removed field");
        ObjectNode renamed = released.deepCopy();
        ((ObjectNode) renamed.get("properties")).set("city", renamed.at("/properties/location"));
        ((ObjectNode) renamed.get("properties")).remove("location");
        assertFalse(SchemaCompatibility.breaks("s", released, renamed).isEmpty(), "a renamed field");
        ObjectNode retyped = released.deepCopy();
        ((ObjectNode) retyped.at("/properties/email")).put("type", "integer");
        assertFalse(SchemaCompatibility.breaks("s", released, retyped).isEmpty(), "a retyped field");
        ObjectNode nullable = released.deepCopy();
        ((ObjectNode) nullable.at("/properties/email")).set("type", json.readTree("[\"string\", \"null\"]"));
        assertFalse(SchemaCompatibility.breaks("s", released, nullable).isEmpty(), "a field that may now be null");
        ObjectNode narrowed = released.deepCopy();
        ((ObjectNode) narrowed.at("/properties/role")).set("enum", json.readTree("[\"Admin\", \"User\"]"));
        assertFalse(SchemaCompatibility.breaks("s", released, narrowed).isEmpty(), "a narrowed enum");
        ObjectNode optional = released.deepCopy();
        optional.set("required", json.readTree("[\"id\"]"));
        assertFalse(SchemaCompatibility.breaks("s", released, optional).isEmpty(), "fields no longer required");
        ObjectNode itemRetyped = released.deepCopy();
        ((ObjectNode) itemRetyped.at("/properties/tags/items")).put("type", "integer");
        assertFalse(SchemaCompatibility.breaks("s", released, itemRetyped).isEmpty(), "an array's items retyped");

        ObjectNode added = released.deepCopy();
        ((ObjectNode) added.get("properties")).set("nickname", json.readTree("{\"type\": [\"string\", \"null\"]}"));
        assertEquals(List.of(), SchemaCompatibility.breaks("s", released, added), "an added field breaks nobody");
    }
}

package io.roster.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roster.contracts.event.UserChangeEvent;
import io.roster.contracts.event.UserInvited;
import io.roster.contracts.job.InviteChunk;
import io.roster.contracts.job.InviteRow;
import io.roster.contracts.job.JobCommand;
import io.roster.contracts.serde.Json;
import io.roster.contracts.serde.MalformedRecordException;
import io.roster.contracts.user.Role;
import io.roster.contracts.user.UserStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JsonContractsTest {

    /**
     * Instants are written as JavaTimeModule writes them (its own mapper is the reference), whatever their precision
     * (none, milliseconds, microseconds, nanoseconds) and year (the hand-written years 0000 to 9999, and beyond them),
     * the same one twice in a row and a different one after it.
     */
    @Test
    void instantsAreWrittenAsJavaTimeWritesThem() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper reference = com.fasterxml.jackson.databind.json.JsonMapper.builder()
                .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
                .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
        java.util.Random random = new java.util.Random(19);
        List<Instant> instants = new java.util.ArrayList<>(List.of(Instant.EPOCH, Instant.parse("2026-12-02T10:00:00Z"),
                Instant.parse("2026-12-02T10:00:00.120Z"), Instant.parse("2026-12-02T10:00:00.123456Z"),
                Instant.parse("2026-12-02T10:00:00.000000001Z"), Instant.parse("-0001-01-01T00:00:00Z"),
                Instant.parse("+12026-01-01T00:00:00Z"), Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("-0001-12-31T23:59:59.999999999Z"), Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("0999-02-28T00:00:59.100Z"),
                Instant.parse("2024-02-29T23:00:00.000100Z"), Instant.parse("1969-12-31T23:59:59.999Z")));
        for (int i = 0; i < 4000; i++) {
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            instants.add(Instant.ofEpochSecond(random.nextLong(-70_000_000_000L, 300_000_000_000L), nano));
        }
        for (Instant instant : instants) {
            for (int twice = 0; twice < 2; twice++) {
                assertEquals(reference.writeValueAsString(instant), Json.writeString(instant), instant.toString());
                assertEquals(reference.writeValueAsString(List.of(instant, Instant.EPOCH, instant)),
                        Json.writeString(List.of(instant, Instant.EPOCH, instant)));
            }
        }
    }

    @Test
    void nullIsWrittenAsNull() {
        assertEquals("null", Json.writeString(null));
        assertEquals("null", new String(Json.write(null), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void changeEventIsCloudEventsShapedAndRoundTrips() {
        UUID user = UUID.randomUUID();
        UserInvited data = new UserInvited(user, UUID.randomUUID(), "a@b.c", "A", "B", Role.Staff, null,
                List.of("x"), UserStatus.pending, Instant.parse("2026-01-02T03:04:05Z"), null, UUID.randomUUID());
        UserChangeEvent event = UserChangeEvent.of(UUID.randomUUID(), Instant.parse("2026-01-02T03:04:06Z"), data);

        String json = Json.writeString(event);

        assertTrue(json.contains("\"type\":\"io.roster.user.invited.v1\""), json);
        assertTrue(json.contains("\"dataschema\":\"urn:roster:schema:io.roster.user.invited.v1\""), json);
        assertTrue(json.contains("\"specversion\":\"1.0\""), json);
        assertTrue(json.contains("\"subject\":\"" + user + "\""), json);
        assertTrue(json.contains("\"time\":\"2026-01-02T03:04:06Z\""), json);
        assertEquals(event, Json.read(json, UserChangeEvent.class));
    }

    @Test
    void jobCommandCarriesItsKind() {
        InviteChunk chunk = new InviteChunk(UUID.randomUUID(), UUID.randomUUID(), 2, 5, UUID.randomUUID(), "test",
                List.of(new InviteRow(1, "a@b.c", "A", "B", "User", null, List.of(), null)), null, true);
        byte[] bytes = Json.write(chunk);
        String json = new String(bytes, StandardCharsets.UTF_8);
        assertTrue(json.contains("\"kind\":\"invite\""));
        assertInstanceOf(InviteChunk.class, Json.read(bytes, JobCommand.class));
        assertEquals(chunk, Json.read(bytes, JobCommand.class));
        // a chunk from a gateway that predates upsert is not one
        InviteChunk older = (InviteChunk) Json.read(json.replace(",\"upsert\":true", ""), JobCommand.class);
        assertFalse(older.upsert());
    }

    @Test
    void unknownKindAndGarbageAreRefused() {
        assertThrows(MalformedRecordException.class,
                () -> Json.read("{\"kind\":\"explode\",\"jobId\":\"" + UUID.randomUUID() + "\"}", JobCommand.class));
        assertThrows(MalformedRecordException.class, () -> Json.read("not json", JobCommand.class));
        assertThrows(MalformedRecordException.class, () -> Json.read("{\"specversion\":\"1.0\",\"type\":\"roster.user.exploded\","
                + "\"id\":\"" + UUID.randomUUID() + "\",\"data\":{}}", UserChangeEvent.class));
    }

    @Test
    void topicPrefixIsValidated() {
        assertEquals("t1.invites.v1", new Topics("t1.").invites());
        assertThrows(IllegalArgumentException.class, () -> new Topics("bad prefix"));
        assertTrue(Topics.defaults().all().stream().anyMatch(t -> t.compacted() && t.name().equals("roster.users.v1")));
    }
}

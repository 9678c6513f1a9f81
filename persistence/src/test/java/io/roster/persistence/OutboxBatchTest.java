package io.roster.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The bytes of an outbox batch row: entries come back as written; rows of the unpacked first version still read. */
class OutboxBatchTest {

    @Test
    void entriesComeBackAsWrittenAndJsonShrinks() {
        List<Outbox.Entry> entries = entries();
        byte[] batch = Outbox.encode(entries);
        assertEquals(2, batch[0], "LZ4-packed");
        List<Outbox.Entry> read = new ArrayList<>();
        Outbox.decode(7, batch, read);
        assertEquals(entries.size(), read.size());
        for (int i = 0; i < entries.size(); i++) {
            Outbox.Entry e = entries.get(i);
            Outbox.Entry r = read.get(i);
            assertEquals(7, r.id());
            assertEquals(e.eventId(), r.eventId());
            assertEquals(e.key(), r.key());
            assertEquals(e.change(), r.change());
            assertEquals(e.snapshot(), r.snapshot());
            assertEquals(e.tombstone(), r.tombstone());
            assertEquals(e.mail(), r.mail());
        }
        int text = entries.stream()
                .mapToInt(e -> e.change().length() + (e.snapshot() == null ? 0 : e.snapshot().length())).sum();
        assertTrue(batch.length < text / 2, batch.length + " bytes for " + text + " characters of JSON");
    }

    @Test
    void unpackedFirstVersionStillReadsAndDamageIsNamed() {
        List<Outbox.Entry> entries = entries();
        byte[] packed = Outbox.encode(entries);
        byte[] body = Lz4Blocks.unpack(packed, 5, packed.length - 5, ByteBuffer.wrap(packed).getInt(1));
        byte[] plain = new byte[body.length + 1];
        plain[0] = 1;
        System.arraycopy(body, 0, plain, 1, body.length);
        List<Outbox.Entry> read = new ArrayList<>();
        Outbox.decode(3, plain, read);
        assertEquals(entries.size(), read.size());
        assertEquals(entries.get(99).mail(), read.get(99).mail());

        byte[] damaged = Arrays.copyOf(packed, packed.length - 10);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Outbox.decode(5, damaged, read));
        assertTrue(e.getMessage().contains("outbox row 5"), e.getMessage());
        byte[] unknown = packed.clone();
        unknown[0] = 9;
        assertThrows(IllegalStateException.class, () -> Outbox.decode(5, unknown, read));
    }

    private static List<Outbox.Entry> entries() {
        List<Outbox.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String key = "user-" + i;
            String change = "{\"specversion\":\"1.0\",\"type\":\"roster.user.invited\",\"data\":{\"email\":\"u" + i
                    + "@x.example\",\"firstName\":\"Zoë " + i + "\"}}";
            String snapshot = "{\"id\":\"" + key + "\",\"status\":\"pending\"}";
            Outbox.Entry entry = i % 10 == 9 ? Outbox.Entry.removal(UUID.randomUUID(), key, change)
                    : Outbox.Entry.change(UUID.randomUUID(), key, change, snapshot);
            String mail = "{\"to\":\"u" + i + "@x.example\",\"subject\":\"Welcome\"}";
            entries.add(i % 3 == 0 ? entry.withMail(mail) : entry);
        }
        return entries;
    }
}

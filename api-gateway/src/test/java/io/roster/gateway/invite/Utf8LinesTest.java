package io.roster.gateway.invite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8LinesTest {

    private static byte[] through(byte[] bytes) throws IOException {
        try (Utf8Lines in = new Utf8Lines(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }

    private static long badLine(byte[] bytes) {
        return assertThrows(Utf8Lines.NotUtf8Exception.class, () -> through(bytes)).line();
    }

    @Test
    void passesUtf8Unchanged() throws IOException {
        byte[] text = "email\nzoë@example.com,Zoë\n日本,😀\n".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(text, through(text));
    }

    @Test
    void namesTheLineOfTheFirstBadByte() {
        byte[] latin1 = "email\na@example.com\nb@example.com\nc@example.com\nd@example.com\ne@example.com\nZo\u00eb"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(7, badLine(latin1));
        assertEquals(1, badLine(new byte[] {(byte) 0xC0, (byte) 0x80}), "an overlong NUL");
        assertEquals(2, badLine(new byte[] {'a', '\n', (byte) 0xED, (byte) 0xA0, (byte) 0x80}), "a surrogate");
        assertEquals(1, badLine(new byte[] {'a', (byte) 0xE2, (byte) 0x82}), "cut off at the end");
    }
}

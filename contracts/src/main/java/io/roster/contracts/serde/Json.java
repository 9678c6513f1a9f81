package io.roster.contracts.serde;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The one JSON mapping of Roster's topics. Times are ISO-8601 strings; unknown properties are ignored so that
 * older readers accept newer writers; unknown type names are refused.
 */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new SimpleModule("instants").addSerializer(Instant.class, new InstantText()))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_INVALID_SUBTYPE)
            .build();

    private Json() {
    }

    /**
     * An instant as JavaTimeModule writes it ({@link Instant#toString}, ISO-8601 in UTC with 0, 3, 6 or 9 digits of
     * fraction), its digits put in place by hand for the years 0000 to 9999 and by {@link Instant#toString} beyond.
     * {@code Instant.toString} goes through a {@code DateTimeFormatter} and two intermediate strings: it was a third
     * of a delete job's CPU samples, and a sixth of a tag job's (each tagged user has instants of its own).
     */
    static final class InstantText extends StdSerializer<Instant> {

        private static final long FIRST = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        private static final long LAST = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

        InstantText() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            long seconds = value.getEpochSecond();
            if (seconds < FIRST || seconds > LAST) {
                generator.writeString(value.toString()); // a sign and more or fewer digits of year
                return;
            }
            char[] text = new char[30];
            generator.writeString(text, 0, format(seconds, value.getNano(), text));
        }

        /** Writes {@code yyyy-MM-ddTHH:mm:ss[.fff[fff[fff]]]Z} into {@code text}; returns its length. */
        static int format(long epochSecond, int nano, char[] text) {
            long days = Math.floorDiv(epochSecond, 86_400);
            int secondOfDay = (int) Math.floorMod(epochSecond, 86_400);
            java.time.LocalDate date = java.time.LocalDate.ofEpochDay(days);
            digits(text, 0, date.getYear(), 4);
            text[4] = '-';
            digits(text, 5, date.getMonthValue(), 2);
            text[7] = '-';
            digits(text, 8, date.getDayOfMonth(), 2);
            text[10] = 'T';
            digits(text, 11, secondOfDay / 3600, 2);
            text[13] = ':';
            digits(text, 14, secondOfDay / 60 % 60, 2);
            text[16] = ':';
            digits(text, 17, secondOfDay % 60, 2);
            int at = 19;
            if (nano != 0) {
                text[at++] = '.';
                if (nano % 1_000_000 == 0) {
                    digits(text, at, nano / 1_000_000, 3);
                    at += 3;
                } else if (nano % 1000 == 0) {
                    digits(text, at, nano / 1000, 6);
                    at += 6;
                } else {
                    digits(text, at, nano, 9);
                    at += 9;
                }
            }
            text[at++] = 'Z';
            return at;
        }

        private static void digits(char[] text, int at, int value, int width) {
            for (int i = at + width - 1; i >= at; i--) {
                text[i] = (char) ('0' + value % 10);
                value /= 10;
            }
        }
    }

    /**
     * A writer per class of value, its serializer found once: the mapper looks up a value's serializer by a hash of
     * its class name on every call (a twelfth of a tag job's JSON samples).
     */
    private static final ClassValue<ObjectWriter> WRITERS = new ClassValue<>() {
        @Override
        protected ObjectWriter computeValue(Class<?> type) {
            return MAPPER.writerFor(type);
        }
    };

    private static ObjectWriter writer(Object value) {
        return WRITERS.get(value == null ? Object.class : value.getClass()); // null is written as null
    }

    public static byte[] write(Object value) {
        try {
            return writer(value).writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String writeString(Object value) {
        try {
            return writer(value).writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads {@code bytes} as {@code type}; throws {@link MalformedRecordException} when they are not one. */
    public static <T> T read(byte[] bytes, Class<T> type) {
        try {
            return MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw new MalformedRecordException("not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    public static <T> T read(String text, Class<T> type) {
        try {
            return MAPPER.readValue(text, type);
        } catch (IOException e) {
            throw new MalformedRecordException("not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}

package io.roster.contracts.serde;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
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
     * An instant as JavaTimeModule writes it ({@link Instant#toString}, ISO-8601), the thread's last one remembered:
     * an event, its data and its snapshot carry the same instants (a tag's time is the snapshot's {@code updatedAt}),
     * and all the deletions of a chunk one. Formatting an instant was a third of a delete job's CPU samples.
     */
    static final class InstantText extends StdSerializer<Instant> {

        private static final ThreadLocal<Object[]> LAST = ThreadLocal.withInitial(() -> new Object[2]);

        InstantText() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            Object[] last = LAST.get();
            if (!value.equals(last[0])) {
                last[1] = value.toString();
                last[0] = value;
            }
            generator.writeString((String) last[1]);
        }
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String writeString(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
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

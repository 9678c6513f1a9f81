package io.roster.gateway.input;

import io.micronaut.core.type.Argument;
import io.micronaut.serde.Decoder;
import io.micronaut.serde.Deserializer;
import io.micronaut.serde.exceptions.SerdeException;
import io.roster.contracts.text.Text;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * JSON bodies read strictly, for every field of every request at once: a string is a JSON string (not a number
 * or a boolean turned into text) and may not hold NUL (PostgreSQL cannot store it; no field of Roster's needs it), a boolean is {@code true} or {@code false} and nothing else
 * (a {@code "yes"} once read as false turned a sub-organizations delete into something else). Either failure is
 * 400 naming the field ({@code ProblemErrorResponseProcessor}). Fields that are display text are held to the
 * stricter single-line rule where they are read ({@link Text#isSingleLine}).
 */
public final class StrictJson {

    /** The message start that {@code ProblemErrorResponseProcessor} recognises: then the field, a colon, why. */
    public static final String REFUSED = "Refused value: ";

    private StrictJson() {
    }

    /** Strings from JSON strings only, without NUL. */
    @Singleton
    public static final class Strings implements Deserializer<String> {
        @Override
        public String deserialize(Decoder decoder, DecoderContext context, Argument<? super String> type)
                throws IOException {
            Object read = decoder.decodeArbitrary();
            if (!(read instanceof String value)) {
                // a number or a boolean where text belongs is a mistake, not text: 12345 is no last name
                throw new SerdeException(REFUSED + type.getName() + ": must be a string");
            }
            if (Text.hasNul(value)) {
                throw new SerdeException(REFUSED + type.getName() + ": must not hold a NUL character");
            }
            return value;
        }
    }

    /** Booleans from JSON booleans only. */
    @Singleton
    public static final class Booleans implements Deserializer<Boolean> {
        @Override
        public Boolean deserialize(Decoder decoder, DecoderContext context, Argument<? super Boolean> type)
                throws IOException {
            Object value = decoder.decodeArbitrary();
            if (value instanceof Boolean bool) {
                return bool;
            }
            throw new SerdeException(REFUSED + type.getName() + ": must be true or false");
        }
    }
}

package io.roster.contracts.text;

/**
 * What text Roster stores, in one place for the gateway and the workers. No value anywhere may hold NUL
 * (PostgreSQL cannot store it: a record with one failed forever). Names, organization names, locations and tags are
 * single-line display text: no control character (C0, DEL, C1: CR, LF, ESC, BEL, ...), no line or paragraph
 * separator, no bidirectional override, embedding or isolate (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F,
 * U+061C), which could make a mail or a page show other text than was stored.
 */
public final class Text {

    /** Why a value is not single-line display text, as every error message says it. */
    public static final String NOT_SINGLE_LINE =
            "holds a NUL, a control character, a line break or a bidirectional override";

    private Text() {
    }

    /** Whether {@code value} holds a NUL character. */
    public static boolean hasNul(CharSequence value) {
        if (value == null) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) == 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code c} may not appear in single-line display text. */
    public static boolean isForbiddenInLine(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029'
                || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')
                || c == '\u200E' || c == '\u200F' || c == '\u061C';
    }

    /** Whether {@code value} is fit for single-line display text (null is). */
    public static boolean isSingleLine(CharSequence value) {
        if (value == null) {
            return true;
        }
        for (int i = 0; i < value.length(); i++) {
            if (isForbiddenInLine(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code value} fit to quote in an error message: forbidden characters shown as U+FFFD, at most 80
     * characters.
     */
    public static String quote(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), 80));
        for (int i = 0; i < value.length() && i < 80; i++) {
            char c = value.charAt(i);
            out.append(isForbiddenInLine(c) ? '\uFFFD' : c);
        }
        if (value.length() > 80) {
            out.setLength(77);
            out.append("...");
        }
        return out.toString();
    }
}

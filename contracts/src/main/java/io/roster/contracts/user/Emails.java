package io.roster.contracts.user;

import java.util.Locale;

/** The one normal form of an email address: trimmed and lower-cased. One account per normal form. */
public final class Emails {
    private Emails() {
    }

    /** The normal form of {@code email}, or null when it is null or blank. */
    public static String normalize(String email) {
        if (email == null) {
            return null;
        }
        String stripped = email.strip();
        return stripped.isEmpty() ? null : stripped.toLowerCase(Locale.ROOT);
    }
}

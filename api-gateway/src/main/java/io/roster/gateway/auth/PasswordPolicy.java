package io.roster.gateway.auth;

import io.roster.gateway.problem.ProblemException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a new password must be, on every path that sets one (set-password, accepting an invitation): 12 to 1,024
 * characters, not blank or whitespace alone, no NUL or control character, not one of the common passwords shipped
 * in {@code common-passwords.txt} (NIST SP 800-63B: refuse commonly used and compromised values), not one character
 * repeated. A refused password is 400 naming {@code password}; nothing is changed.
 */
public final class PasswordPolicy {

    public static final int MIN = 12;
    public static final int MAX = 1024;
    private static final Set<String> COMMON = load();

    private PasswordPolicy() {
    }

    /** Throws a 400 problem naming {@code password} when {@code password} may not be set. */
    public static void require(String password) {
        String reason = problem(password);
        if (reason != null) {
            throw ProblemException.invalid("password", reason);
        }
    }

    /** Why {@code password} may not be set, or null when it may. */
    static String problem(String password) {
        if (password == null || password.isBlank()) {
            return "must not be blank";
        }
        int length = password.codePointCount(0, password.length());
        if (length < MIN || length > MAX) {
            return "must be " + MIN + " to " + MAX + " characters";
        }
        for (int i = 0; i < password.length(); i++) {
            char c = password.charAt(i);
            if (c == 0 || (c < 0x20 && c != '\t') || c == 0x7F) {
                return "must not hold a NUL or a control character";
            }
        }
        if (password.chars().distinct().count() == 1) {
            return "must not be one character repeated";
        }
        if (COMMON.contains(password.strip().toLowerCase(Locale.ROOT))) {
            return "is one of the most common passwords; choose another";
        }
        return null;
    }

    private static Set<String> load() {
        Set<String> words = new HashSet<>();
        try (InputStream in = PasswordPolicy.class.getResourceAsStream("/common-passwords.txt")) {
            if (in == null) {
                throw new IllegalStateException("common-passwords.txt is missing from the gateway's classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    words.add(line.strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(words);
    }
}

package io.roster.gateway.auth;

import jakarta.inject.Singleton;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/**
 * argon2id password hashes with the OWASP parameters (m=19 MiB, t=2, p=1, 16-byte salt, 32-byte hash), in the
 * standard PHC string format.
 */
@Singleton
public class PasswordHasher {

    private final Argon2PasswordEncoder encoder = new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2);
    /** Compared against when an email has no account, so a failed login costs the same either way. */
    private final String decoy = encoder.encode("decoy password that matches nothing");

    public String hash(String password) {
        return encoder.encode(password);
    }

    /** Whether {@code password} matches {@code hash}; with a null hash, spends the same time and says no. */
    public boolean matches(String password, String hash) {
        if (hash == null) {
            encoder.matches(password, decoy);
            return false;
        }
        return encoder.matches(password, hash);
    }
}

package io.roster.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class PasswordPolicyTest {

    @Test
    void refusesBlankShortRepeatedControlAndCommonPasswords() {
        assertEquals("must not be blank", PasswordPolicy.problem("            "));
        assertEquals("must not be blank", PasswordPolicy.problem(null));
        assertEquals("must be 12 to 1024 characters", PasswordPolicy.problem("short pass"));
        assertEquals("must not be one character repeated", PasswordPolicy.problem("aaaaaaaaaaaaaa"));
        assertEquals("must not hold a NUL or a control character", PasswordPolicy.problem("long password\u0000x"));
        assertEquals("is one of the most common passwords; choose another", PasswordPolicy.problem("1q2w3e4r5t6y"));
        assertEquals("is one of the most common passwords; choose another", PasswordPolicy.problem("QWERTY123456"));
    }

    @Test
    void acceptsALongUncommonPassword() {
        assertNull(PasswordPolicy.problem("correct horse battery staple"));
        assertNull(PasswordPolicy.problem("tab\tinside is fine here"));
    }
}

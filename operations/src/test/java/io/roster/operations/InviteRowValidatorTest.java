package io.roster.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roster.contracts.job.InviteRow;
import io.roster.contracts.user.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

class InviteRowValidatorTest {

    final InviteRowValidator validator = new InviteRowValidator();

    InviteRowValidator.Result check(String email, String first, String role, List<String> tags) {
        return validator.validate(new InviteRow(7, email, first, null, role, null, tags, null));
    }

    @Test
    void normalizesAGoodRow() {
        var result = check("  Ada.Lovelace@Example.COM ", " Ada ", "staff", List.of("a", " a ", "", "b"));
        assertTrue(result.ok());
        assertEquals("ada.lovelace@example.com", result.row().email());
        assertEquals("Ada", result.row().firstName());
        assertEquals("", result.row().lastName());
        assertEquals(Role.Staff, result.row().role());
        assertEquals(List.of("a", "b"), result.row().tags());
        assertEquals(Role.User, check("u@x.example", "U", null, null).row().role(), "User when no role is given");
    }

    @Test
    void reportsEachBadFieldWithItsRow() {
        var result = check("no-at-sign", null, "Owner", List.of("bad/tag"));
        assertEquals(List.of("email", "firstName", "role", "tags"),
                result.errors().stream().map(e -> e.field()).toList());
        assertTrue(result.errors().stream().allMatch(e -> e.rowNo() == 7));
        assertEquals("invalid_email", result.errors().get(0).code());
        assertEquals("required", check(" ", "A", null, null).errors().get(0).code());
        assertEquals("invalid_email", check("a@b", "A", null, null).errors().get(0).code(), "a dotted domain");
        assertEquals("invalid_email", check("a@" + "x".repeat(250) + ".com", "A", null, null).errors().get(0).code());
    }
}

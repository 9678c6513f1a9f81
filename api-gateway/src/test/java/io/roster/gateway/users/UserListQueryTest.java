package io.roster.gateway.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roster.contracts.user.Role;
import io.roster.contracts.user.UserStatus;
import io.roster.gateway.problem.ProblemException;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** The users list's query parameters: every sort both ways, multiple-choice filters, and each bad value named. */
class UserListQueryTest {

    @Test
    void sortsAndFiltersAreReadAsTheConsoleSendsThem() {
        UserListQuery defaults = UserListQuery.parse(null, null, null, null, null, false, 50);
        assertEquals(UserListQuery.Column.name, defaults.sort());
        assertFalse(defaults.descending());
        assertEquals("name,asc", defaults.sortSpec());

        for (UserListQuery.Column column : UserListQuery.Column.values()) {
            UserListQuery query = UserListQuery.parse(column.name().toUpperCase() + ", DESC", null, null, null, null,
                    false, 50);
            assertEquals(column, query.sort());
            assertTrue(query.descending());
            // the OpenAPI document's pattern admits every column the list sorts by
            assertTrue((column.name() + ",desc").matches(UserController.SORT), column.name());
        }
        UserListQuery filtered = UserListQuery.parse("email", "admin, Staff,", "ACTIVE,inactive", " vip ",
                "  Grace ", true, 1000);
        assertEquals(EnumSet.of(Role.Admin, Role.Staff), filtered.roles());
        assertEquals(EnumSet.of(UserStatus.active, UserStatus.inactive), filtered.statuses());
        assertEquals("vip", filtered.tag());
        assertEquals(filtered.filter().text(), "grace");
        assertTrue(filtered.filter().includeSubOrgs());
        assertNull(UserListQuery.parse(null, null, null, " ", " ", false, 1).tag());
    }

    @Test
    void eachBadValueIsRefusedNamingItsParameter() {
        assertField("sort", () -> UserListQuery.parse("password", null, null, null, null, false, 50));
        assertField("sort", () -> UserListQuery.parse("name,sideways", null, null, null, null, false, 50));
        assertField("sort", () -> UserListQuery.parse("name,asc,desc", null, null, null, null, false, 50));
        assertField("limit", () -> UserListQuery.parse(null, null, null, null, null, false, 0));
        assertField("limit", () -> UserListQuery.parse(null, null, null, null, null, false, 1001));
        assertField("role", () -> UserListQuery.parse(null, "Owner", null, null, null, false, 50));
        assertField("status", () -> UserListQuery.parse(null, null, "asleep", null, null, false, 50));
        assertField("q", () -> UserListQuery.parse(null, null, null, null, "x".repeat(201), false, 50));
    }

    private static void assertField(String field, Runnable call) {
        ProblemException problem = assertThrows(ProblemException.class, call::run);
        assertEquals(400, problem.status().getCode());
        assertEquals(field, problem.problem().errors().get(0).field());
    }
}

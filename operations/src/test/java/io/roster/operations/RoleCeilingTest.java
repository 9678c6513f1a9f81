package io.roster.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roster.contracts.user.Role;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Who may give which role: never one above their own; a granter who no longer exists gives User only. */
class RoleCeilingTest {

    @Test
    void nobodyGivesARoleAboveTheirOwn() {
        Map<Role, Set<Role>> expected = Map.of(
                Role.Admin, EnumSet.allOf(Role.class),
                Role.Staff, EnumSet.of(Role.Staff, Role.User),
                Role.User, EnumSet.of(Role.User));
        for (Role granter : Role.values()) {
            Set<Role> given = EnumSet.noneOf(Role.class);
            for (Role role : Role.values()) {
                if (RoleCeiling.mayGrant(granter, role)) {
                    given.add(role);
                }
            }
            assertEquals(expected.get(granter), given, granter.name());
        }
        for (Role role : Role.values()) {
            assertEquals(role == Role.User, RoleCeiling.mayGrant(null, role), "a granter who is gone: " + role);
        }
    }
}

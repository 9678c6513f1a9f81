package io.roster.operations;

import io.roster.contracts.user.Role;

/**
 * The role ceiling, for every path that sets a role (invite, import, upsert, transfer, edit): nobody gives a role
 * above their own. An Admin gives any role, Staff gives Staff or User, a User gives User. A granter who no longer
 * exists ({@code null}) gives User only.
 */
public final class RoleCeiling {

    private RoleCeiling() {
    }

    public static boolean mayGrant(Role granter, Role granted) {
        return granted == Role.User || (granter != null && granter.ordinal() <= granted.ordinal());
    }

    /** Why a role cannot be given, in the words the caller sees. */
    public static String refusal(Role granter) {
        return "you cannot give a role above your own (" + granter + ")";
    }
}

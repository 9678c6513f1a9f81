package io.roster.contracts.user;

/** A user's role in their organization. Spelled as in the API: {@code Admin}, {@code Staff}, {@code User}. */
public enum Role {
    Admin, Staff, User;

    /**
     * The role ceiling, for every path that sets a role (invite, import, upsert, transfer, edit): nobody gives a
     * role above their own. An Admin gives any role, Staff gives Staff or User, a User gives User. A granter who no
     * longer exists ({@code null}) gives User only.
     */
    public static boolean mayGrant(Role granter, Role granted) {
        return granted == User || (granter != null && granter.ordinal() <= granted.ordinal());
    }

    /** The role named by {@code text}, ignoring case, or null when there is none. */
    public static Role parse(String text) {
        if (text == null) {
            return null;
        }
        for (Role role : values()) {
            if (role.name().equalsIgnoreCase(text.strip())) {
                return role;
            }
        }
        return null;
    }
}

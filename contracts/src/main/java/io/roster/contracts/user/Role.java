package io.roster.contracts.user;

/** A user's role in their organization. Spelled as in the API: {@code Admin}, {@code Staff}, {@code User}. */
public enum Role {
    Admin, Staff, User;

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

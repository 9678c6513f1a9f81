package io.roster.gateway.orgs;

import io.roster.contracts.user.Role;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a role may do to the users in its reach. Admins may do everything; Staff and User get the defaults below
 * unless an admin of their organization changes them ({@code PUT /api/v1/orgs/{orgId}/permissions}).
 */
public enum Permission {
    view_users, invite, edit, delete, change_password, force_logout, view_activity, transfer, export, tag;

    /** Staff: run the users list day to day; User: see the list. */
    public static Set<Permission> defaults(Role role) {
        return switch (role) {
            case Admin -> EnumSet.allOf(Permission.class);
            case Staff -> EnumSet.of(view_users, invite, edit, view_activity, export, tag);
            case User -> EnumSet.of(view_users);
        };
    }
}

package io.roster.contracts.user;

import java.util.List;

/**
 * The users list's filters, checked: any of {@code roles}, any of {@code statuses} (empty: all), carrying
 * {@code tag}, matching {@code text} (lower-case; an email prefix or a part of the name), in the organization or
 * also its sub-organizations.
 */
public record UsersFilter(List<Role> roles, List<UserStatus> statuses, String tag, String text,
                          boolean includeSubOrgs) {

    public UsersFilter {
        roles = roles == null ? List.of() : List.copyOf(roles);
        statuses = statuses == null ? List.of() : List.copyOf(statuses);
    }
}

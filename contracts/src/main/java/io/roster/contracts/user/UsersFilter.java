package io.roster.contracts.user;

import java.util.List;
import java.util.UUID;

/**
 * The users list's filters, checked: any of {@code roles}, any of {@code statuses} (empty: all), carrying
 * {@code tag}, matching {@code text} (lower-case; a part of the name or the email), in the organization or
 * also its sub-organizations, leaving out the users {@code excludeIds} (a selection of "all matching" with some
 * rows unticked).
 */
public record UsersFilter(List<Role> roles, List<UserStatus> statuses, String tag, String text,
                          boolean includeSubOrgs, List<UUID> excludeIds) {

    public UsersFilter {
        roles = roles == null ? List.of() : List.copyOf(roles);
        statuses = statuses == null ? List.of() : List.copyOf(statuses);
        excludeIds = excludeIds == null ? List.of() : List.copyOf(excludeIds);
    }

    public UsersFilter(List<Role> roles, List<UserStatus> statuses, String tag, String text, boolean includeSubOrgs) {
        this(roles, statuses, tag, text, includeSubOrgs, List.of());
    }
}

package io.roster.gateway.users;

import io.roster.contracts.user.Role;
import io.roster.contracts.user.UserStatus;
import io.roster.gateway.problem.ProblemException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.Locale;
import java.util.Set;

/**
 * A validated users-list request: sort column and direction, filters, page size. Every field that does not parse
 * is refused with its name and the reason.
 */
public record UserListQuery(Column sort, boolean descending, Set<Role> roles, Set<UserStatus> statuses, String tag,
                            String text, boolean includeSubOrgs, int limit, List<UUID> excluded) {

    public static final int MAX_LIMIT = 1000;

    /** The filters alone, as bulk jobs carry them. */
    public io.roster.contracts.user.UsersFilter filter() {
        return new io.roster.contracts.user.UsersFilter(List.copyOf(roles), List.copyOf(statuses), tag, text,
                includeSubOrgs, excluded);
    }

    /** A sortable column: its API name and its never-null sort key. */
    public enum Column {
        name, email, role, location, status, lastLogin, tags;

        /** The sort as the SQL of users writes it: its key, and the table and index it walks. */
        public io.roster.persistence.UserFilterSql.Sort sql() {
            return io.roster.persistence.UserFilterSql.Sort.valueOf(name());
        }

        /** What this sort orders by (status: its lifecycle rank). */
        public String key() {
            return sql().key();
        }

        /** The SQL type of {@link #key}, which a cursor's key is cast to. */
        public String type() {
            return sql().type();
        }
    }

    public static UserListQuery parse(String sort, String role, String status, String tag, String q,
                                      boolean includeSubOrgs, int limit) {
        Column column = Column.name;
        boolean descending = false;
        if (sort != null && !sort.isBlank()) {
            String[] parts = sort.split(",", -1);
            column = parseColumn(parts[0].strip());
            if (parts.length > 2 || (parts.length == 2 && !parts[1].strip().matches("(?i)asc|desc"))) {
                throw ProblemException.invalid("sort", "must be a column, optionally followed by ',asc' or ',desc'");
            }
            descending = parts.length == 2 && parts[1].strip().equalsIgnoreCase("desc");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ProblemException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String value : values(role)) {
            Role parsed = Role.parse(value);
            if (parsed == null) {
                throw ProblemException.invalid("role", "'" + value + "' is not one of Admin, Staff, User");
            }
            roles.add(parsed);
        }
        Set<UserStatus> statuses = EnumSet.noneOf(UserStatus.class);
        for (String value : values(status)) {
            try {
                statuses.add(UserStatus.valueOf(value.toLowerCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid("status", "'" + value + "' is not one of pending, active, inactive");
            }
        }
        String text = q == null || q.isBlank() ? null : q.strip().toLowerCase(Locale.ROOT);
        if (text != null && text.length() > 200) {
            throw ProblemException.invalid("q", "must be at most 200 characters");
        }
        String tagValue = tag == null || tag.isBlank() ? null : tag.strip();
        return new UserListQuery(column, descending, roles, statuses, tagValue, text, includeSubOrgs, limit, List.of());
    }

    private static Column parseColumn(String name) {
        for (Column c : Column.values()) {
            if (c.name().equalsIgnoreCase(name)) {
                return c;
            }
        }
        throw ProblemException.invalid("sort", "'" + name + "' is not one of name, email, role, location, status, lastLogin");
    }

    private static List<String> values(String csv) {
        List<String> values = new ArrayList<>();
        if (csv != null) {
            for (String part : csv.split(",")) {
                if (!part.isBlank()) {
                    values.add(part.strip());
                }
            }
        }
        return values;
    }

    /** The same filters, leaving out the users {@code ids} (a bulk selection of all matching but these). */
    public UserListQuery excluding(List<UUID> ids) {
        return new UserListQuery(sort, descending, roles, statuses, tag, text, includeSubOrgs, limit, List.copyOf(ids));
    }

    /** The same filters in the order of {@code sort} (the list's syntax; null: by name, ascending). */
    public UserListQuery sortedBy(String sort) {
        UserListQuery sorted = parse(sort, null, null, null, null, false, limit);
        return new UserListQuery(sorted.sort, sorted.descending, roles, statuses, tag, text, includeSubOrgs, limit,
                excluded);
    }

    /** The same query for users of one of its roles only. */
    public UserListQuery withRole(Role role) {
        return new UserListQuery(sort, descending, EnumSet.of(role), statuses, tag, text, includeSubOrgs, limit,
                excluded);
    }

    /** The sort as written in cursors: a cursor only continues the sort it came from. */
    public String sortSpec() {
        return sort.name() + "," + (descending ? "desc" : "asc");
    }
}

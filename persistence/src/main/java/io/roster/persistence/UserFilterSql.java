package io.roster.persistence;

import io.roster.contracts.user.UserStatus;
import io.roster.contracts.user.UsersFilter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** The WHERE clause of a {@link UsersFilter} over the users table, for the users list and for bulk selections. */
public final class UserFilterSql {

    private UserFilterSql() {
    }

    /** A status's rank in the lifecycle (pending 0, active 1, inactive 2): how status sorts. */
    public static final String STATUS_RANK = "(CASE status WHEN 'pending' THEN 0 WHEN 'active' THEN 1 ELSE 2 END)";

    /**
     * The users list's sortable columns, each with its never-null sort key in the users table and that key's SQL
     * type: the list, its cursors and exports order by these.
     */
    public enum Sort {
        name("sort_name", "text"), email("email", "text"), role("role", "text"), location("sort_location", "text"),
        status(STATUS_RANK, "integer"), lastLogin("sort_login", "timestamptz"),
        /** The tag list compared element by element (as shown), an untagged user first. */
        tags("sort_tags", "text");

        private final String key;
        private final String type;

        Sort(String key, String type) {
            this.key = key;
            this.type = type;
        }

        public String key() {
            return key;
        }

        public String type() {
            return type;
        }
    }

    /**
     * The ORDER BY of {@code spec} ({@code column,asc} or {@code column,desc}, as the users list writes a sort; null:
     * by name), ties broken by id the same way.
     */
    public static String orderBy(String spec) {
        String[] parts = spec == null ? new String[] {"name", "asc"} : spec.split(",", 2);
        Sort sort = Sort.valueOf(parts[0]);
        String direction = parts.length == 2 && parts[1].equals("desc") ? "DESC" : "ASC";
        return " ORDER BY " + sort.key() + " " + direction + ", id " + direction;
    }

    /**
     * Appends the filter's conditions to {@code sql} and their values to {@code args}; {@code statuses} stands in
     * for the filter's own (the users list queries one status per branch).
     */
    public static void where(StringBuilder sql, List<Object> args, UUID orgId, UsersFilter filter,
                             Collection<UserStatus> statuses) {
        if (filter.includeSubOrgs()) {
            sql.append(Organizations.IN_REACH);
        } else {
            sql.append("org_id = ?");
        }
        args.add(orgId);
        if (statuses.size() == 1) {
            sql.append(" AND status = ?");
            args.add(statuses.iterator().next().name());
        } else if (!statuses.isEmpty()) {
            sql.append(" AND status = ANY (?)");
            args.add(statuses.stream().map(Enum::name).toArray(String[]::new));
        }
        if (filter.roles().size() == 1) {
            // an equality, not = ANY of one value: an index with role before the sort key is then ordered by it
            sql.append(" AND role = ?");
            args.add(filter.roles().get(0).name());
        } else if (!filter.roles().isEmpty()) {
            sql.append(" AND role = ANY (?)");
            args.add(filter.roles().stream().map(Enum::name).toArray(String[]::new));
        }
        if (filter.tag() != null) {
            sql.append(" AND tags @> ?");
            args.add(new String[] {filter.tag()});
        }
        if (filter.text() != null) {
            String like = filter.text().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
            // the expression of the users_search trigram index: a part of the name or the email, anywhere
            sql.append(" AND (sort_name || ' ' || email) LIKE ?");
            args.add("%" + like + "%");
        }
        if (!filter.excludeIds().isEmpty()) {
            sql.append(" AND id <> ALL (?)");
            args.add(filter.excludeIds().toArray(UUID[]::new));
        }
    }

    /** {@code sql} with {@code args} bound ({@code String[]} as text arrays, {@code UUID[]} as uuid arrays). */
    public static PreparedStatement prepare(Connection connection, String sql, List<Object> args) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(sql);
        for (int i = 0; i < args.size(); i++) {
            Object arg = args.get(i);
            if (arg instanceof String[] array) {
                ps.setArray(i + 1, connection.createArrayOf("text", array));
            } else if (arg instanceof UUID[] array) {
                ps.setArray(i + 1, connection.createArrayOf("uuid", array));
            } else {
                ps.setObject(i + 1, arg);
            }
        }
        return ps;
    }
}

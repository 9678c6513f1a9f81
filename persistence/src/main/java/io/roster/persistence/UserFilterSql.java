package io.roster.persistence;

import io.roster.contracts.user.UserStatus;
import io.roster.contracts.user.UsersFilter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The WHERE clause of a {@link UsersFilter} over the users table (alias {@code u}), for the users list, exports and
 * bulk selections. A query that shows tags or sorts by them joins each user's tags row as {@code t}
 * ({@link #USERS_WITH_TAGS}); a tag filter is a condition on the user's tags row, joined or not.
 */
public final class UserFilterSql {

    private UserFilterSql() {
    }

    /** The shortest search term with a trigram, the unit of the users_search index (V17); shorter ones are scanned. */
    private static final int MIN_INDEXED_TERM = 3;

    /**
     * Whether the search term {@code text} is found through the users_search trigram index. A term of one or two
     * characters without a space has no trigram: its matches are read row by row (see {@link #where}).
     */
    public static boolean indexed(String text) {
        return text.length() >= MIN_INDEXED_TERM || text.indexOf(' ') >= 0;
    }

    /** A status's rank in the lifecycle (pending 0, active 1, inactive 2): how status sorts. */
    public static final String STATUS_RANK = "(CASE u.status WHEN 'pending' THEN 0 WHEN 'active' THEN 1 ELSE 2 END)";

    /** The users ({@code u}) with their tags rows ({@code t}, V24): FROM of a query that shows or sorts by tags. */
    public static final String USERS_WITH_TAGS = " FROM users u JOIN user_tags t ON t.user_id = u.id";

    /**
     * The users list's sortable columns, each with its never-null sort key and that key's SQL type: the list, its
     * cursors and exports order by these. Each is walked in order in an index of {@link #table}, together with its
     * organization and status columns and the user's id there ({@link #id}).
     */
    public enum Sort {
        name("u.sort_name", "text"), email("u.email", "text"), role("u.role", "text"),
        location("u.sort_location", "text"), status(STATUS_RANK, "integer"), lastLogin("u.sort_login", "timestamptz"),
        /** The tag list compared element by element (as shown), an untagged user first: the tags row's index. */
        tags("t.sort_tags", "text");

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

        /** The alias of the table whose index the sort walks: {@code t} for tags, {@code u} otherwise. */
        public String table() {
            return this == tags ? "t" : "u";
        }

        /** The user's id in {@link #table}: the tie-breaker after the key. */
        public String id() {
            return this == tags ? "t.user_id" : "u.id";
        }

        /** The sort of {@code spec} ({@code column,asc} or {@code column,desc}; null: by name). */
        public static Sort of(String spec) {
            return valueOf(spec == null ? "name" : spec.split(",", 2)[0]);
        }
    }

    /**
     * The ORDER BY of {@code spec} ({@code column,asc} or {@code column,desc}, as the users list writes a sort; null:
     * by name), ties broken by id the same way.
     */
    public static String orderBy(String spec) {
        Sort sort = Sort.of(spec);
        String direction = spec != null && spec.endsWith(",desc") ? "DESC" : "ASC";
        return " ORDER BY " + sort.key() + " " + direction + ", " + sort.id() + " " + direction;
    }

    /** {@link #where(StringBuilder, List, UUID, UsersFilter, Collection, String)} on the users row's columns. */
    public static void where(StringBuilder sql, List<Object> args, UUID orgId, UsersFilter filter,
                             Collection<UserStatus> statuses) {
        where(sql, args, orgId, filter, statuses, "u");
    }

    /**
     * Appends the filter's conditions to {@code sql} and their values to {@code args}; {@code statuses} stands in
     * for the filter's own (the users list queries one status per branch). The organization and status are those of
     * the table {@code on} ({@code u}, or {@code t} whose index a tags sort walks: the same values, V24).
     */
    public static void where(StringBuilder sql, List<Object> args, UUID orgId, UsersFilter filter,
                             Collection<UserStatus> statuses, String on) {
        sql.append(on).append('.').append(filter.includeSubOrgs() ? Organizations.IN_REACH : "org_id = ?");
        args.add(orgId);
        if (statuses.size() == 1) {
            sql.append(" AND ").append(on).append(".status = ?");
            args.add(statuses.iterator().next().name());
        } else if (!statuses.isEmpty()) {
            sql.append(" AND ").append(on).append(".status = ANY (?)");
            args.add(statuses.stream().map(Enum::name).toArray(String[]::new));
        }
        if (filter.roles().size() == 1) {
            // an equality, not = ANY of one value: an index with role before the sort key is then ordered by it
            sql.append(" AND u.role = ?");
            args.add(filter.roles().get(0).name());
        } else if (!filter.roles().isEmpty()) {
            sql.append(" AND u.role = ANY (?)");
            args.add(filter.roles().stream().map(Enum::name).toArray(String[]::new));
        }
        if (filter.tag() != null) {
            // the tags row's GIN index finds a tag's users (a semi-join: the user's own row when t is joined)
            sql.append(" AND EXISTS (SELECT 1 FROM user_tags tf WHERE tf.user_id = u.id AND tf.tags @> ?)");
            args.add(new String[] {filter.tag()});
        }
        if (filter.text() != null) {
            String text = filter.text();
            String like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            if (!indexed(text)) {
                // a term this short has no trigram: no index finds it, its matches are read row by row. Without a
                // space it lies within the name or within the email (a space separates them), so each is tested on
                // its own, sparing every row the concatenation: a fifth less time at a million users
                sql.append(" AND (u.sort_name LIKE ? OR u.email LIKE ?)");
                args.add(like);
                args.add(like);
            } else {
                // the expression of the users_search trigram index: a part of the name or the email, anywhere
                sql.append(" AND (u.sort_name || ' ' || u.email) LIKE ?");
                args.add(like);
            }
        }
        if (!filter.excludeIds().isEmpty()) {
            sql.append(" AND u.id <> ALL (?)");
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

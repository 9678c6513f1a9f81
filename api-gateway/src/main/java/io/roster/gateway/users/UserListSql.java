package io.roster.gateway.users;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import io.roster.contracts.user.UserStatus;
import java.util.UUID;
import io.roster.persistence.UserFilterSql;

/**
 * The SQL of one users-list page: filters, the keyset condition after the previous page's last row, the order
 * (sort key, then id, both one way) and one row more than the page to tell whether another follows. Every value is
 * a bind parameter. Column 11 is the row's sort key as text, for the next cursor. The query is one ordered branch
 * per status value (the filter's, or all three), merged, so that each branch reads its own index in order.
 */
public record UserListSql(String sql, List<Object> args) {

    static final String COLUMNS = "u.id, u.org_id, u.first_name, u.last_name, u.email, u.role, u.location, u.status, "
            + "u.last_login_at, t.tags";

    /**
     * @param afterKey the previous page's last sort key (null on the first page), with {@code afterId}
     */
    public static UserListSql build(UUID orgId, UserListQuery query, String afterKey, UUID afterId) {
        List<Object> args = new ArrayList<>();
        // status always (one walk per status and role); role when several roles are chosen (a role = ANY (...)
        // condition beside the keyset one would make each walk pass the roles before the cursor's: the deeper the
        // page, the longer)
        if (query.sort() == UserListQuery.Column.status
                || (query.sort() == UserListQuery.Column.role && query.roles().size() > 1)) {
            return byValue(orgId, query, afterKey, afterId, args);
        }
        // one ordered branch per status value (the filter's, or all three), each walking its (org_id, status, key,
        // id) index, merged in key order
        String direction = query.descending() ? "DESC" : "ASC";
        StringBuilder sql = new StringBuilder("SELECT * FROM (");
        String separator = "";
        for (UserStatus status : query.statuses().isEmpty() ? List.of(UserStatus.values()) : query.statuses()) {
            sql.append(separator).append('(').append(branch(orgId, query, status, afterKey, afterId, args)).append(')');
            separator = " UNION ALL ";
        }
        sql.append(") page ORDER BY sort_value ").append(direction).append(", id ").append(direction).append(" LIMIT ?");
        args.add(query.limit() + 1);
        return new UserListSql(sql.toString(), List.copyOf(args));
    }

    /**
     * One value of a sort key that takes few values: its cursor key, its SQL literal (the rows' sort value) and the
     * ordered walks that read its users.
     */
    private record Value(String key, String literal, List<Walk> walks) {
    }

    /** A walk in id order of one {@code (org_id, status, role, id)} index range: one status, one role. */
    private record Walk(UserListQuery query, UserStatus status) {
    }

    /**
     * Sorted by a key of a few values: status in lifecycle order (pending, active, inactive), role by name (Admin,
     * Staff, User; with several roles chosen); the other way when descending. Each value (of the filter's, or all) is
     * read by walks in id order under a constant sort value, concatenated by value, each walk one status and one
     * role of the {@code (org_id, status, role, id)} index, merged by id: a status is one walk per role (the
     * filter's, or all three), a role one walk per status. A value before the cursor's is left out, the cursor's own
     * continues after its id: each walk starts where the page does, at any depth. The cursor's key is the value
     * (status: its rank).
     */
    private static UserListSql byValue(UUID orgId, UserListQuery query, String afterKey, UUID afterId,
                                       List<Object> args) {
        List<UserStatus> statuses = query.statuses().isEmpty() ? List.of(UserStatus.values())
                : List.copyOf(query.statuses());
        List<io.roster.contracts.user.Role> roles = query.roles().isEmpty()
                ? List.of(io.roster.contracts.user.Role.values()) : List.copyOf(query.roles());
        List<Value> values = new ArrayList<>();
        if (query.sort() == UserListQuery.Column.status) {
            for (UserStatus status : statuses) {
                values.add(new Value(Integer.toString(rank(status)), Integer.toString(rank(status)),
                        roles.stream().map(role -> new Walk(query.withRole(role), status)).toList()));
            }
        } else {
            for (io.roster.contracts.user.Role role : roles) {
                values.add(new Value(role.name(), "'" + role.name() + "'::text",
                        statuses.stream().map(status -> new Walk(query.withRole(role), status)).toList()));
            }
        }
        values.sort(java.util.Comparator.comparing(Value::key)); // ranks and role names sort as the key does
        if (afterKey != null) {
            boolean known = query.sort() == UserListQuery.Column.status
                    ? afterKey.matches("[0-2]") : afterKey.matches("Admin|Staff|User");
            if (!known) {
                throw io.roster.gateway.problem.ProblemException.invalid("cursor", "is not a cursor this API returned");
            }
        }
        boolean descending = query.descending();
        String direction = descending ? "DESC" : "ASC";
        // the walks take ids only (from the index alone, where the filters are in it), then the page's rows are
        // read by id: a page reads its own rows, not every walk's
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + ", page.cursor_key, page.sort_value FROM (SELECT "
                + "* FROM (");
        String separator = "";
        for (Value value : values) {
            if (afterKey != null) {
                int order = value.key().compareTo(afterKey);
                if (descending ? order > 0 : order < 0) {
                    continue; // wholly before the cursor
                }
            }
            for (Walk walk : value.walks()) {
                sql.append(separator).append("(SELECT u.id, '").append(value.key())
                        .append("'::text AS cursor_key, ").append(value.literal()).append(" AS sort_value FROM users u "
                                + "WHERE ");
                where(sql, orgId, walk.query(), List.of(walk.status()), args);
                if (afterKey != null && value.key().equals(afterKey)) {
                    sql.append(" AND u.id ").append(descending ? "<" : ">").append(" ?");
                    args.add(afterId);
                }
                sql.append(" ORDER BY u.id ").append(direction).append(" LIMIT ?)");
                args.add(query.limit() + 1);
                separator = " UNION ALL ";
            }
        }
        if (separator.isEmpty()) {
            // the cursor is past every value: an empty page of the same shape
            sql.append("SELECT u.id, ''::text AS cursor_key, NULL AS sort_value FROM users u WHERE false");
        }
        sql.append(") walks ORDER BY sort_value ").append(direction).append(", id ").append(direction)
                .append(" LIMIT ?) page JOIN users u ON u.id = page.id JOIN user_tags t ON t.user_id = page.id "
                        + "ORDER BY page.sort_value ").append(direction)
                .append(", page.id ").append(direction);
        args.add(query.limit() + 1);
        return new UserListSql(sql.toString(), List.copyOf(args));
    }

    /** A status's place in the lifecycle: pending, then active, then inactive (as UserFilterSql.STATUS_RANK). */
    static int rank(UserStatus status) {
        return switch (status) {
            case pending -> 0;
            case active -> 1;
            case inactive -> 2;
        };
    }

    private static String branch(UUID orgId, UserListQuery query, UserStatus status, String afterKey, UUID afterId,
                                 List<Object> args) {
        String direction = query.descending() ? "DESC" : "ASC";
        UserFilterSql.Sort sort = query.sort().sql();
        String key = sort.key();
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + ", " + key + "::text AS cursor_key, " + key
                + " AS sort_value" + UserFilterSql.USERS_WITH_TAGS + " WHERE ");
        UserFilterSql.where(sql, args, orgId, query.filter(), status == null ? List.of() : List.of(status),
                sort.table());
        if (afterKey != null) {
            sql.append(" AND (").append(key).append(", ").append(sort.id()).append(") ")
                    .append(query.descending() ? "<" : ">").append(" (?::").append(sort.type()).append(", ?)");
            args.add(afterKey);
            args.add(afterId);
        }
        sql.append(" ORDER BY ").append(key).append(' ').append(direction).append(", ").append(sort.id()).append(' ')
                .append(direction).append(" LIMIT ?");
        args.add(query.limit() + 1);
        return sql.toString();
    }

    /**
     * Up to how many matches a search (or a tag) is answered from its matches alone: counted exactly, then sorted
     * and paged among themselves, which is fast however they lie in the sort's order. Above it the search is dense
     * enough for the sort index's walk to meet its matches soon, and its total is given as "at least" this.
     */
    public static final int SEARCH_CAP = 10_000;

    /**
     * The cap of a search term without a trigram (one or two characters, {@link UserFilterSql#indexed}): no index
     * finds its matches, so counting them is reading the organization's users until the count is reached. A common
     * short term ("ov") reaches 10,000 matches only after reading about ten times as many users (at a million users
     * about 35 ms, before the page's walk), and 1,000 after a tenth of that; a rare one reads every user whatever the
     * cap. So such a search is counted up to this and beyond it the total is "at least" this.
     */
    public static final int SHORT_SEARCH_CAP = 1_000;

    /**
     * Up to how many matches {@code query} (a search or a tag) is counted: {@link #SEARCH_CAP}, or
     * {@link #SHORT_SEARCH_CAP} for a term no index finds.
     */
    public static int cap(UserListQuery query) {
        return query.text() != null && !UserFilterSql.indexed(query.text()) ? SHORT_SEARCH_CAP : SEARCH_CAP;
    }

    /** Whether the query is a search or a tag, answered through {@link #candidates} first. */
    public static boolean bounded(UserListQuery query) {
        return query.text() != null || query.tag() != null;
    }

    /**
     * A search's matches, read once: at most {@link #cap} + 1 of them (through the search's own index),
     * counted (column 13, on every row, and on a single row of nulls when the page is empty), and paged among
     * themselves: sorted and cut after the cursor. The page is the answer when the count is at most the cap (a
     * broader search walks the sort's index instead: {@link #build}). The row shape and the cursor keys are those of
     * {@link #build} (status: its lifecycle rank).
     */
    public static UserListSql candidates(UUID orgId, UserListQuery query, String afterKey, UUID afterId) {
        List<Object> args = new ArrayList<>();
        String key = query.sort().key();
        String direction = query.descending() ? "DESC" : "ASC";
        // the matches' ids and sort keys only (their tags rows only when they sort by tags): the page's own rows are
        // read after it is cut, by id
        StringBuilder sql = new StringBuilder("WITH matches AS MATERIALIZED (SELECT u.id, (" + key
                + ")::text AS cursor_key, " + key + " AS sort_value"
                + (query.sort() == UserListQuery.Column.tags ? UserFilterSql.USERS_WITH_TAGS : " FROM users u")
                + " WHERE ");
        where(sql, orgId, query, query.statuses(), args);
        // more matches than the cap: nothing to sort, the page comes from the sort's index
        int cap = cap(query);
        sql.append(" LIMIT ").append(cap + 1).append(") SELECT " + COLUMNS + ", page.cursor_key, "
                + "page.sort_value, counted.n FROM (SELECT count(*) AS n FROM matches) counted LEFT JOIN LATERAL "
                + "(SELECT * FROM matches WHERE counted.n <= ").append(cap);
        if (afterKey != null) {
            sql.append(" AND (sort_value, id) ").append(query.descending() ? "<" : ">").append(" (?::")
                    .append(query.sort().type()).append(", ?)");
            args.add(afterKey);
            args.add(afterId);
        }
        sql.append(" ORDER BY sort_value ").append(direction).append(", id ").append(direction).append(" LIMIT ?) page "
                + "ON true LEFT JOIN users u ON u.id = page.id LEFT JOIN user_tags t ON t.user_id = page.id "
                + "ORDER BY page.sort_value ").append(direction).append(", page.id ").append(direction);
        args.add(query.limit() + 1);
        return new UserListSql(sql.toString(), List.copyOf(args));
    }

    /**
     * How many users the query's filters match. Filters of organization, role and status alone are summed from
     * {@code user_counts} (kept exact by triggers on users: a few rows, however many users); a tag, a search or
     * excluded ids are counted over the users themselves, through their indexes.
     */
    public static UserListSql count(UUID orgId, UserListQuery query) {
        List<Object> args = new ArrayList<>();
        boolean counters = query.tag() == null && query.text() == null && query.excluded().isEmpty();
        StringBuilder sql = new StringBuilder(counters ? "SELECT coalesce(sum(n), 0) FROM user_counts u WHERE "
                : "SELECT count(*) FROM users u WHERE ");
        where(sql, orgId, query, query.statuses(), args);
        return new UserListSql(sql.toString(), List.copyOf(args));
    }

    /**
     * The ids of every user the query's filters match (its sort and limit do not apply): the fixed selection of a
     * bulk job. In the order the rows lie in the table, so that each chunk of a job touches few pages (a chunk of
     * rows in id order would touch a page per row: random UUIDs).
     */
    public static UserListSql selection(UUID orgId, UserListQuery query) {
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT u.id FROM users u WHERE ");
        where(sql, orgId, query, query.statuses(), args);
        sql.append(" ORDER BY u.ctid");
        return new UserListSql(sql.toString(), List.copyOf(args));
    }

    private static void where(StringBuilder sql, UUID orgId, UserListQuery query,
                              java.util.Collection<UserStatus> statuses, List<Object> args) {
        UserFilterSql.where(sql, args, orgId, query.filter(), statuses);
    }

    /** Runs a query of one number (a count) on {@code connection}. */
    public long single(Connection connection) throws SQLException {
        try (PreparedStatement ps = prepare(connection, ""); java.sql.ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The statement with every parameter bound. */
    public PreparedStatement prepare(Connection connection, String prefix) throws SQLException {
        return UserFilterSql.prepare(connection, prefix + sql, args);
    }
}

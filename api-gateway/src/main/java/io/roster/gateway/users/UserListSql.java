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

    static final String COLUMNS = "id, org_id, first_name, last_name, email, role, location, status, last_login_at, tags";

    /**
     * @param afterKey the previous page's last sort key (null on the first page), with {@code afterId}
     */
    public static UserListSql build(UUID orgId, UserListQuery query, String afterKey, UUID afterId) {
        List<Object> args = new ArrayList<>();
        if (query.sort() == UserListQuery.Column.status) {
            return byStatus(orgId, query, afterKey, afterId, args);
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
     * Sorted by status in lifecycle order (pending, active, inactive; the other way when descending): one branch per
     * status (the filter's, or all three), each walking its {@code (org_id, status, id)} index in id order under a
     * constant rank, concatenated by rank. The cursor's key is the rank of the last row's status.
     */
    private static UserListSql byStatus(UUID orgId, UserListQuery query, String afterKey, UUID afterId,
                                        List<Object> args) {
        int afterRank = -1;
        if (afterKey != null) {
            try {
                afterRank = Integer.parseInt(afterKey);
            } catch (NumberFormatException e) {
                afterRank = -2;
            }
            if (afterRank < 0 || afterRank >= UserStatus.values().length) {
                throw io.roster.gateway.problem.ProblemException.invalid("cursor", "is not a cursor this API returned");
            }
        }
        boolean descending = query.descending();
        String direction = descending ? "DESC" : "ASC";
        StringBuilder sql = new StringBuilder("SELECT * FROM (");
        String separator = "";
        for (UserStatus status : query.statuses().isEmpty() ? List.of(UserStatus.values()) : query.statuses()) {
            int rank = rank(status);
            if (afterKey != null && (descending ? rank > afterRank : rank < afterRank)) {
                continue; // wholly before the cursor
            }
            sql.append(separator).append("(SELECT ").append(COLUMNS).append(", '").append(rank)
                    .append("'::text AS cursor_key, ").append(rank).append(" AS sort_value FROM users WHERE ");
            where(sql, orgId, query, List.of(status), args);
            if (afterKey != null && rank == afterRank) {
                sql.append(" AND id ").append(descending ? "<" : ">").append(" ?");
                args.add(afterId);
            }
            sql.append(" ORDER BY id ").append(direction).append(" LIMIT ?)");
            args.add(query.limit() + 1);
            separator = " UNION ALL ";
        }
        if (separator.isEmpty()) {
            // the cursor is past every branch: an empty page of the same shape
            sql.append("SELECT ").append(COLUMNS).append(", ''::text AS cursor_key, 0 AS sort_value FROM users "
                    + "WHERE false");
        }
        sql.append(") page ORDER BY sort_value ").append(direction).append(", id ").append(direction).append(" LIMIT ?");
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
        String key = query.sort().key();
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + ", " + key + "::text AS cursor_key, " + key
                + " AS sort_value FROM users WHERE ");
        where(sql, orgId, query, status == null ? List.of() : List.of(status), args);
        if (afterKey != null) {
            sql.append(" AND (users.").append(key).append(", id) ").append(query.descending() ? "<" : ">")
                    .append(" (?::").append(query.sort().type()).append(", ?)");
            args.add(afterKey);
            args.add(afterId);
        }
        sql.append(" ORDER BY users.").append(key).append(' ').append(direction).append(", id ").append(direction)
                .append(" LIMIT ?");
        args.add(query.limit() + 1);
        return sql.toString();
    }

    /**
     * Up to how many matches a search (or a tag) is answered from its matches alone: counted exactly, then sorted
     * and paged among themselves, which is fast however they lie in the sort's order. Above it the search is dense
     * enough for the sort index's walk to meet its matches soon, and its total is given as "at least" this.
     */
    public static final int SEARCH_CAP = 10_000;

    /** Whether the query is a search or a tag, answered through {@link #cappedCount} first. */
    public static boolean bounded(UserListQuery query) {
        return query.text() != null || query.tag() != null;
    }

    /** How many users the filters match, counted no further than one past {@link #SEARCH_CAP}. */
    public static UserListSql cappedCount(UUID orgId, UserListQuery query) {
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT count(*) FROM (SELECT 1 FROM users WHERE ");
        where(sql, orgId, query, query.statuses(), args);
        sql.append(" LIMIT ").append(SEARCH_CAP + 1).append(") capped");
        return new UserListSql(sql.toString(), List.copyOf(args));
    }

    /**
     * A page of a search with at most {@link #SEARCH_CAP} matches: the matches (through the search's own index),
     * then sorted and cut after the cursor among themselves. The row shape and the cursor keys are those of
     * {@link #build} (status: its lifecycle rank).
     */
    public static UserListSql candidates(UUID orgId, UserListQuery query, String afterKey, UUID afterId) {
        List<Object> args = new ArrayList<>();
        String key = query.sort().key();
        String direction = query.descending() ? "DESC" : "ASC";
        StringBuilder sql = new StringBuilder("SELECT * FROM (SELECT " + COLUMNS + ", (" + key
                + ")::text AS cursor_key, " + key + " AS sort_value FROM users WHERE ");
        where(sql, orgId, query, query.statuses(), args);
        sql.append(" LIMIT ").append(SEARCH_CAP + 1).append(") matches");
        if (afterKey != null) {
            sql.append(" WHERE (sort_value, id) ").append(query.descending() ? "<" : ">").append(" (?::")
                    .append(query.sort().type()).append(", ?)");
            args.add(afterKey);
            args.add(afterId);
        }
        sql.append(" ORDER BY sort_value ").append(direction).append(", id ").append(direction).append(" LIMIT ?");
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
        StringBuilder sql = new StringBuilder(counters ? "SELECT coalesce(sum(n), 0) FROM user_counts WHERE "
                : "SELECT count(*) FROM users WHERE ");
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
        StringBuilder sql = new StringBuilder("SELECT id FROM users WHERE ");
        where(sql, orgId, query, query.statuses(), args);
        sql.append(" ORDER BY ctid");
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

package io.roster.gateway.users;

import io.roster.persistence.repositories.ManagedTx;
import io.micronaut.core.annotation.Nullable;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.ObjectMapper;
import io.roster.contracts.user.Role;
import io.roster.contracts.user.UserStatus;
import io.roster.gateway.problem.ProblemException;
import io.roster.persistence.Organizations;
import io.roster.persistence.Tx;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.UUID;

/**
 * The users list: any sort column either way, role and status filters (any of several), tag, text search on name
 * and email, optionally the sub-organizations' users too; keyset pages ordered by the sort key then the id, so the
 * order is stable and a page costs the same at any depth. The cursor is opaque to clients.
 */
@Singleton
public class UserQueries {

    private final ManagedTx tx;
    private final ObjectMapper json;

    public UserQueries(ManagedTx tx, ObjectMapper json) {
        this.tx = tx;
        this.json = json;
    }

    /** One row of the list, with the name of its organization (users of several are listed with includeSubOrgs). */
    @Serdeable
    public record UserItem(UUID id, UUID orgId, String orgName, String firstName, String lastName, String name,
                           String email, Role role, @Nullable String location, UserStatus status,
                           @Nullable Instant lastLoginAt, List<String> tags) {
    }

    /**
     * A page, the cursor of the next one (null on the last page), and on the first page (no cursor) how many users
     * the filters match in all ({@code total}; null on the pages after it): exact ({@code totalExact}) but for a
     * search or a tag with more than {@value UserListSql#SEARCH_CAP} matches ({@value UserListSql#SHORT_SEARCH_CAP}
     * for a term of one or two characters: {@link UserListSql#cap}), whose total is that many ("at least").
     */
    @Serdeable
    public record Page(List<UserItem> items, @Nullable String nextCursor, @Nullable Long total,
                       @Nullable Boolean totalExact) {
    }

    private record Total(Long total, Boolean exact) {
    }

    /** Where a page ended: the sort it belongs to, the last row's sort key and id. */
    @Serdeable
    record Cursor(@JsonProperty("s") String sort, @JsonProperty("k") String key, @JsonProperty("i") UUID id) {
    }

    public Page page(UUID orgId, UserListQuery query, String cursorText) {
        Cursor after = cursorText == null || cursorText.isBlank() ? null : decode(cursorText, query);
        String afterKey = after == null ? null : after.key();
        UUID afterId = after == null ? null : after.id();
        List<UserItem> rows = new ArrayList<>(query.limit() + 1);
        List<String> keys = new ArrayList<>(query.limit() + 1);
        Total counted;
        try {
            counted = tx.run(c -> {
                if (UserListSql.bounded(query)) {
                    // a search's best plan depends on its text (a rare term: the trigram index; a common one: a
                    // scan that stops early), which a cached generic plan cannot see: plan each one for its text
                    try (var set = c.prepareStatement("SET LOCAL plan_cache_mode = force_custom_plan")) {
                        set.execute();
                    }
                    // a search: its matches read once, up to the cap, counted and paged among themselves; more
                    // than the cap, and the page walks the sort's index instead
                    long matches = read(c, UserListSql.candidates(orgId, query, afterKey, afterId), true, rows, keys);
                    int cap = UserListSql.cap(query);
                    boolean few = matches <= cap;
                    if (!few) {
                        // the candidates' page is empty over the cap
                        read(c, UserListSql.build(orgId, query, afterKey, afterId), false, rows, keys);
                    }
                    return after != null ? new Total(null, null)
                            : new Total(Math.min(matches, cap), few);
                }
                read(c, UserListSql.build(orgId, query, afterKey, afterId), false, rows, keys);
                return after != null ? new Total(null, null)
                        : new Total(UserListSql.count(orgId, query).single(c), true);
            });
        } catch (Tx.DataAccessException e) {
            if (after != null && e.sqlState() != null && e.sqlState().startsWith("22")) {
                // a forged cursor whose key does not cast to the sort column's type
                throw ProblemException.invalid("cursor", "is not a cursor this API returned");
            }
            throw e;
        }
        if (rows.size() <= query.limit()) {
            return new Page(List.copyOf(rows), null, counted.total(), counted.exact());
        }
        int last = query.limit() - 1;
        String next = cursorFor(query, keys.get(last), rows.get(last).id());
        return new Page(List.copyOf(rows.subList(0, query.limit())), next, counted.total(), counted.exact());
    }

    /**
     * Reads the page's rows, with their organizations' names.
     *
     * @param withCount whether the statement is {@link UserListSql#candidates}: its count of matches in column 13,
     *                  and an empty page as one row of nulls
     * @return that count, or -1 without one
     */
    private static long read(java.sql.Connection c, UserListSql sql, boolean withCount, List<UserItem> rows,
                             List<String> keys) throws java.sql.SQLException {
        Map<UUID, String> orgNames = new HashMap<>();
        long counted = -1;
        try (PreparedStatement ps = sql.prepare(c, "")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (withCount) {
                        counted = rs.getLong(13);
                        if (rs.getObject(1) == null) {
                            continue; // no row on this page, only the count
                        }
                    }
                    String first = rs.getString(3);
                    String last = rs.getString(4);
                    Timestamp login = rs.getTimestamp(9);
                    UUID orgId = rs.getObject(2, UUID.class);
                    String orgName = orgNames.get(orgId);
                    if (orgName == null) {
                        orgName = Organizations.find(c, orgId).orElseThrow().name();
                        orgNames.put(orgId, orgName);
                    }
                    rows.add(new UserItem(rs.getObject(1, UUID.class), orgId, orgName, first, last,
                            (first + " " + last).strip(), rs.getString(5), Role.valueOf(rs.getString(6)),
                            rs.getString(7), UserStatus.valueOf(rs.getString(8)),
                            login == null ? null : login.toInstant(),
                            Arrays.asList((String[]) rs.getArray(10).getArray())));
                    keys.add(rs.getString(11));
                }
            }
        }
        return counted;
    }

    /** The cursor of the page that follows the row with {@code sortKey} and {@code id} in {@code query}'s order. */
    public String cursorFor(UserListQuery query, String sortKey, UUID id) {
        return encode(new Cursor(query.sortSpec(), sortKey, id));
    }

    private String encode(Cursor cursor) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(json.writeValueAsBytes(cursor));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Cursor decode(String text, UserListQuery query) {
        Cursor cursor;
        try {
            cursor = json.readValue(Base64.getUrlDecoder().decode(text), Cursor.class);
        } catch (IOException | IllegalArgumentException e) {
            throw ProblemException.invalid("cursor", "is not a cursor this API returned");
        }
        if (cursor == null || cursor.id() == null || cursor.key() == null
                || io.roster.contracts.text.Text.hasNul(cursor.key())) {
            throw ProblemException.invalid("cursor", "is not a cursor this API returned");
        }
        if (!query.sortSpec().equals(cursor.sort())) {
            throw ProblemException.invalid("cursor", "belongs to the sort '" + cursor.sort()
                    + "'; ask for the first page again when changing the sort");
        }
        return cursor;
    }
}

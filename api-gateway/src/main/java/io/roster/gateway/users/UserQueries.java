package io.roster.gateway.users;

import io.micronaut.serde.annotation.Serdeable;
import io.roster.contracts.user.Role;
import io.roster.contracts.user.UserStatus;
import io.roster.gateway.problem.ProblemException;
import io.roster.persistence.Tx;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Reads of the users list: one organization's users in email order, by keyset pages. The cursor is opaque to
 * clients (the last email of the previous page, encoded).
 */
@Singleton
public class UserQueries {

    private final DataSource dataSource;

    public UserQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One row of the list. */
    @Serdeable
    public record UserItem(UUID id, UUID orgId, String firstName, String lastName, String name, String email, Role role,
                           String location, UserStatus status, Instant lastLoginAt, List<String> tags) {
    }

    /** A page, and the cursor of the next one (null on the last page). */
    @Serdeable
    public record Page(List<UserItem> items, String nextCursor) {
    }

    public Page page(UUID orgId, int limit, String cursor) {
        String after = cursor == null ? "" : decode(cursor);
        List<UserItem> items = Tx.run(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, org_id, first_name, last_name, email, role, "
                    + "location, status, last_login_at, tags FROM users WHERE org_id = ? AND email > ? "
                    + "ORDER BY email LIMIT ?")) {
                ps.setObject(1, orgId);
                ps.setString(2, after);
                ps.setInt(3, limit + 1);
                List<UserItem> rows = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String first = rs.getString(3);
                        String last = rs.getString(4);
                        Timestamp login = rs.getTimestamp(9);
                        rows.add(new UserItem(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), first, last,
                                (first + " " + last).strip(), rs.getString(5), Role.valueOf(rs.getString(6)),
                                rs.getString(7), UserStatus.valueOf(rs.getString(8)),
                                login == null ? null : login.toInstant(),
                                Arrays.asList((String[]) rs.getArray(10).getArray())));
                    }
                }
                return rows;
            }
        });
        String next = null;
        if (items.size() > limit) {
            items = items.subList(0, limit);
            next = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(items.get(limit - 1).email().getBytes(StandardCharsets.UTF_8));
        }
        return new Page(List.copyOf(items), next);
    }

    private static String decode(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("cursor", "is not a cursor this API returned");
        }
    }
}

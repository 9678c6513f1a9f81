package io.roster.persistence;

import io.roster.contracts.event.UserSnapshot;
import io.roster.contracts.serde.Json;
import io.roster.contracts.user.Role;
import io.roster.contracts.user.UserStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A user's state as their users row and their tags row (V24) make it, read and written together: the snapshot's
 * columns, and the one lock order between the two rows. A change of the users row locks the tags row after its own
 * ({@link #written}); a tag locks the tags row alone and reads the users row after ({@link #withUserRows}).
 */
public final class UserRows {

    private UserRows() {
    }

    /** A snapshot's columns of the users row (alias {@code u}), as a write returns them: all but the tags. */
    static final String USER_COLUMNS = "u.id, u.org_id, u.email, u.first_name, u.last_name, u.role, "
            + "u.location, u.status, u.last_login_at, u.invited_at, u.updated_at";

    /**
     * A snapshot's columns: the users row's (alias {@code u}) and its tags row's (alias {@code t}), as
     * {@link #snapshot} reads them; select them {@link #SNAPSHOTS}.
     */
    public static final String SNAPSHOT = USER_COLUMNS + ", t.tags, t.updated_at";

    /** Where {@link #SNAPSHOT} is read from: each user's row with their tags row (V24). */
    public static final String SNAPSHOTS = " FROM users u JOIN user_tags t ON t.user_id = u.id";

    /** A user's tags row: the tags, and when they last changed. */
    public record Tags(List<String> tags, Instant updatedAt) {
    }

    /** A snapshot read as {@link #SNAPSHOT} lists its columns. */
    public static UserSnapshot snapshot(ResultSet rs) throws SQLException {
        return withTags(userColumns(rs), new Tags(List.of((String[]) rs.getArray(12).getArray()),
                rs.getTimestamp(13).toInstant()));
    }

    /** The users row's part of a snapshot ({@link #USER_COLUMNS}), without tags. */
    private static UserSnapshot userColumns(ResultSet rs) throws SQLException {
        Timestamp lastLogin = rs.getTimestamp(9);
        return new UserSnapshot(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                rs.getString(4), rs.getString(5), Role.valueOf(rs.getString(6)), rs.getString(7), List.of(),
                UserStatus.valueOf(rs.getString(8)), lastLogin == null ? null : lastLogin.toInstant(),
                rs.getTimestamp(10).toInstant(), rs.getTimestamp(11).toInstant());
    }

    /** {@code user} with {@code tags}: as new as the later of its row and its tags. */
    static UserSnapshot withTags(UserSnapshot user, Tags tags) {
        Instant updatedAt = tags.updatedAt().isAfter(user.updatedAt()) ? tags.updatedAt() : user.updatedAt();
        return new UserSnapshot(user.id(), user.orgId(), user.email(), user.firstName(), user.lastName(), user.role(),
                user.location(), tags.tags(), user.status(), user.lastLoginAt(), user.invitedAt(), updatedAt);
    }

    /** {@code users}, those of {@code tags} with their tags rows as just written. */
    static List<UserSnapshot> withTags(List<UserSnapshot> users, Map<UUID, Tags> tags) {
        return users.stream().map(u -> tags.containsKey(u.id()) ? withTags(u, tags.get(u.id())) : u).toList();
    }

    /**
     * Runs {@code write}, a change of users rows that returns {@link #USER_COLUMNS} (and holds their locks), then
     * locks their tags rows and reads them: the users as they are now. A tag job holds a tags row's lock while it
     * reads the users row, so whichever of the two writes second sees the first's commit (V24).
     */
    static List<UserSnapshot> written(Connection connection, PreparedStatement write) throws SQLException {
        List<UserSnapshot> rows = new ArrayList<>();
        try (ResultSet rs = write.executeQuery()) {
            while (rs.next()) {
                rows.add(userColumns(rs));
            }
        }
        if (rows.isEmpty()) {
            return rows;
        }
        Map<UUID, Tags> tags = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT user_id, tags, updated_at FROM user_tags "
                + "WHERE user_id = ANY (?) ORDER BY user_id FOR NO KEY UPDATE")) {
            ps.setArray(1, connection.createArrayOf("uuid", rows.stream().map(UserSnapshot::id).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tags.put(rs.getObject(1, UUID.class), new Tags(List.of((String[]) rs.getArray(2).getArray()),
                            rs.getTimestamp(3).toInstant()));
                }
            }
        }
        List<UserSnapshot> users = new ArrayList<>(rows.size());
        for (UserSnapshot row : rows) {
            users.add(withTags(row, tags.get(row.id())));
        }
        return users;
    }

    /**
     * The users of {@code tags} (their tags rows just written, and locked by the writing statement) as they are now:
     * their users rows read after the tags rows were locked.
     */
    static List<UserSnapshot> withUserRows(Connection connection, Map<UUID, Tags> tags) throws SQLException {
        List<UserSnapshot> users = new ArrayList<>(tags.size());
        if (tags.isEmpty()) {
            return users;
        }
        try (PreparedStatement ps = connection.prepareStatement("SELECT " + USER_COLUMNS + " FROM users u "
                + "WHERE u.id = ANY (?)")) {
            ps.setArray(1, connection.createArrayOf("uuid", tags.keySet().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UserSnapshot row = userColumns(rs);
                    users.add(withTags(row, tags.get(row.id())));
                }
            }
        }
        return users;
    }

    /** Sets the tags of each user of {@code tags}, changed now. @return the tags rows as they are now */
    static Map<UUID, Tags> setTags(Connection connection, Map<UUID, List<String>> tags) throws SQLException {
        Map<UUID, Tags> set = new HashMap<>();
        if (tags.isEmpty()) {
            return set;
        }
        try (PreparedStatement ps = connection.prepareStatement("UPDATE user_tags t SET tags = "
                + "ARRAY(SELECT jsonb_array_elements_text(v.tag_list::jsonb)), updated_at = clock_timestamp() "
                + "FROM unnest(?::uuid[], ?::text[]) AS v(uid, tag_list) WHERE t.user_id = v.uid "
                + "RETURNING t.user_id, t.tags, t.updated_at")) {
            ps.setArray(1, connection.createArrayOf("uuid", tags.keySet().toArray()));
            ps.setArray(2, connection.createArrayOf("text", tags.values().stream().map(Json::writeString).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    set.put(rs.getObject(1, UUID.class), new Tags(List.of((String[]) rs.getArray(2).getArray()),
                            rs.getTimestamp(3).toInstant()));
                }
            }
        }
        return set;
    }
}

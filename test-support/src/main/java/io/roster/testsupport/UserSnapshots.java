package io.roster.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roster.contracts.event.UserSnapshot;
import io.roster.contracts.serde.Json;
import io.roster.persistence.Tx;
import io.roster.persistence.UserRows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/** The users table as the snapshot topic carries it: user id to the JSON of the user's state, for comparisons. */
public final class UserSnapshots {

    private static final ObjectMapper JSON = new ObjectMapper();

    private UserSnapshots() {
    }

    /** Every user of {@code orgId}, or of every organization when it is null. */
    public static Map<String, JsonNode> of(DataSource dataSource, UUID orgId) {
        return Tx.run(dataSource, c -> {
            Map<String, JsonNode> users = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + UserRows.SNAPSHOT + UserRows.SNAPSHOTS
                    + (orgId == null ? "" : " WHERE u.org_id = ?"))) {
                if (orgId != null) {
                    ps.setObject(1, orgId);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        UserSnapshot user = UserRows.snapshot(rs);
                        users.put(user.id().toString(), read(Json.write(user)));
                    }
                }
            }
            return users;
        });
    }

    /** A snapshot record's value (or any JSON) as a tree. */
    public static JsonNode read(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

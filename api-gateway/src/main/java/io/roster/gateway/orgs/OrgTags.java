package io.roster.gateway.orgs;

import io.roster.gateway.GatewayConfig;
import io.roster.gateway.problem.ProblemException;
import io.roster.persistence.Tx;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import javax.sql.DataSource;

/** The tags an organization defines: what users of it may carry (at most {@code ROSTER_MAX_TAGS_PER_ORG}). */
@Singleton
public class OrgTags {

    /** What a tag name may be: letters, digits, space, {@code _ : . -}; 1 to 50 characters. */
    public static final String PATTERN = "[\\p{L}\\p{N} _:.-]{1,50}";

    private final DataSource dataSource;
    private final GatewayConfig config;

    public OrgTags(DataSource dataSource, GatewayConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    /** Defines {@code name} in the organization unless it is there already. @return whether it was created */
    public boolean create(UUID orgId, String name, String field) {
        return Tx.run(dataSource, c -> {
            try (PreparedStatement lock = c.prepareStatement("SELECT 1 FROM organizations WHERE id = ? FOR UPDATE")) {
                lock.setObject(1, orgId);
                lock.execute();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM org_tags WHERE org_id = ?")) {
                ps.setObject(1, orgId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) >= config.maxTagsPerOrg()) {
                        throw ProblemException.unprocessable("too-many-tags", field, "an organization has at most "
                                + config.maxTagsPerOrg() + " tags");
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO org_tags (org_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                ps.setObject(1, orgId);
                ps.setString(2, name);
                return ps.executeUpdate() == 1;
            }
        });
    }

    public boolean exists(UUID orgId, String name) {
        return Tx.run(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM org_tags WHERE org_id = ? AND name = ?")) {
                ps.setObject(1, orgId);
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }
}

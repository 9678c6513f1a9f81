package io.roster.gateway.orgs;

import io.roster.gateway.GatewayConfig;
import io.roster.gateway.problem.ProblemException;
import io.roster.persistence.Tx;
import jakarta.inject.Singleton;
import io.micronaut.http.HttpStatus;
import io.roster.gateway.problem.Problem;
import io.roster.persistence.Organizations;
import io.roster.persistence.Tags;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/** The tags an organization defines: what users of it may carry (at most {@code ROSTER_MAX_TAGS_PER_ORG}). */
@Singleton
public class OrgTags {

    /** What a tag name may be: letters, digits, space, {@code _ : . -}; 1 to 50 characters. */
    public static final String PATTERN = io.roster.operations.TagName.PATTERN;

    private final DataSource dataSource;
    private final GatewayConfig config;

    public OrgTags(DataSource dataSource, GatewayConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    /** The organization's tags, by name. */
    public List<String> list(UUID orgId) {
        return Tx.run(dataSource, c -> Tags.names(c, orgId));
    }

    /** Defines {@code name} in the organization unless it is there already. @return whether it was created */
    public boolean create(UUID orgId, String name, String field) {
        return Tx.run(dataSource, c -> {
            Organizations.lock(c, orgId);
            if (Tags.count(c, orgId) >= config.maxTagsPerOrg()) {
                throw ProblemException.unprocessable("too-many-tags", field, "an organization has at most "
                        + config.maxTagsPerOrg() + " tags");
            }
            return Tags.insert(c, orgId, name);
        });
    }

    public boolean exists(UUID orgId, String name) {
        return Tx.run(dataSource, c -> Tags.exists(c, orgId, name));
    }

    /** Deletes the tag; refused (409) while users of the organization carry it, 404 when it is not defined. */
    public void delete(UUID orgId, String tag) {
        Tx.run(dataSource, c -> {
            Organizations.lock(c, orgId);
            int carriers = Tags.carriers(c, orgId, tag);
            if (carriers > 0) {
                throw new ProblemException(HttpStatus.CONFLICT, "tag-in-use", "The tag is in use",
                        carriers + " users carry '" + tag + "'; remove it from them first",
                        List.of(new Problem.FieldError("tag", "in use")), null);
            }
            if (!Tags.delete(c, orgId, tag)) {
                throw ProblemException.notFound("Tag '" + tag + "'");
            }
            return null;
        });
    }
}

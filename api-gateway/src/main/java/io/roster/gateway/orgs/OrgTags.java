package io.roster.gateway.orgs;

import io.roster.persistence.repositories.ManagedTx;
import io.roster.gateway.GatewayConfig;
import io.roster.gateway.problem.ProblemException;
import jakarta.inject.Singleton;
import io.roster.persistence.Organizations;
import io.roster.persistence.repositories.OrgTag;
import io.roster.persistence.repositories.OrgTagRepository;
import java.util.List;
import java.util.UUID;

/** The tags an organization defines: what users of it may carry (at most {@code ROSTER_MAX_TAGS_PER_ORG}). */
@Singleton
public class OrgTags {

    /** What a tag name may be: letters, digits, space, {@code _ : . -}; 1 to 50 characters. */
    public static final String PATTERN = io.roster.operations.TagName.PATTERN;

    private final ManagedTx tx;
    private final OrgTagRepository tags;
    private final GatewayConfig config;

    public OrgTags(ManagedTx tx, OrgTagRepository tags, GatewayConfig config) {
        this.tx = tx;
        this.tags = tags;
        this.config = config;
    }

    /** The organization's tags, by name. */
    public List<String> list(UUID orgId) {
        return tags.findByIdOrgIdOrderByIdName(orgId).stream().map(t -> t.id().name()).toList();
    }

    /** Defines {@code name} in the organization unless it is there already. @return whether it was created */
    public boolean create(UUID orgId, String name, String field) {
        return tx.run(c -> {
            Organizations.lock(c, orgId);
            if (tags.countByIdOrgId(orgId) >= config.maxTagsPerOrg()) {
                throw ProblemException.unprocessable("too-many-tags", field, "an organization has at most "
                        + config.maxTagsPerOrg() + " tags");
            }
            if (tags.existsById(new OrgTag.Key(orgId, name))) {
                return false;
            }
            tags.save(OrgTag.of(orgId, name));
            return true;
        });
    }

    public boolean exists(UUID orgId, String name) {
        return tags.existsById(new OrgTag.Key(orgId, name));
    }

    /** Deletes the tag; refused (409) while users of the organization carry it, 404 when it is not defined. */
    public void delete(UUID orgId, String tag) {
        tx.run(c -> {
            Organizations.lock(c, orgId);
            long carriers = tags.carriers(orgId, tag);
            if (carriers > 0) {
                throw ProblemException.conflict("tag-in-use", "The tag is in use",
                        carriers + " users carry '" + tag + "'; remove it from them first", "tag", "in use");
            }
            if (tags.deleteById(new OrgTag.Key(orgId, tag)) == 0) {
                throw ProblemException.notFound("Tag '" + tag + "'");
            }
            return null;
        });
    }
}

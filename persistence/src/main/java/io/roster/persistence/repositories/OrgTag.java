package io.roster.persistence.repositories;

import io.micronaut.data.annotation.DateCreated;
import io.micronaut.data.annotation.Embeddable;
import io.micronaut.data.annotation.EmbeddedId;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code org_tags}: a tag an organization defines, which its users may carry. */
@MappedEntity("org_tags")
public record OrgTag(@EmbeddedId Key id, @DateCreated Instant createdAt) {

    public static OrgTag of(UUID orgId, String name) {
        return new OrgTag(new Key(orgId, name), null);
    }

    /** The organization and the tag's name. */
    @Embeddable
    public record Key(@MappedProperty("org_id") UUID orgId, @MappedProperty("name") String name) {
    }
}

package io.roster.persistence.repositories;

import io.micronaut.data.annotation.Embeddable;
import io.micronaut.data.annotation.EmbeddedId;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;
import java.util.UUID;

/** A row of {@code role_permissions}: the permissions, by name, of a role an organization changed. */
@MappedEntity("role_permissions")
public record RolePermission(@EmbeddedId Key id, @TypeDef(type = DataType.STRING_ARRAY) String[] permissions) {

    /** The organization and the role's name. */
    @Embeddable
    public record Key(@MappedProperty("org_id") UUID orgId, @MappedProperty("role") String role) {
    }
}

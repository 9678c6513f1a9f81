package io.roster.contracts.job;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.roster.contracts.user.Role;
import java.util.UUID;

/** What a {@link UsersChunk} does to each of its users. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = BulkAction.Tag.class, name = "tag"),
        @JsonSubTypes.Type(value = BulkAction.Delete.class, name = "delete"),
        @JsonSubTypes.Type(value = BulkAction.Transfer.class, name = "transfer")})
public sealed interface BulkAction {

    /** Adds {@code tag} to each user, or removes it when {@code remove}. */
    record Tag(String tag, boolean remove) implements BulkAction {
    }

    /** Deletes each user: sessions, invitations, profile and activity. */
    record Delete() implements BulkAction {
    }

    /** Moves each user to {@code destinationOrgId} with {@code role}; {@code destinationAdminId} is mailed. */
    record Transfer(UUID destinationOrgId, UUID destinationAdminId, Role role) implements BulkAction {
    }
}

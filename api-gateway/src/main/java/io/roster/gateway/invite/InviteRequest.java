package io.roster.gateway.invite;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/**
 * The JSON body of an invite: the users to invite. Each user's fields are checked row by row by the workers, so
 * that one bad row does not refuse the others; the request itself must hold at least one user. With
 * {@code upsert}, an email that already has an account in the organization updates it instead of being an error.
 */
@Serdeable
public record InviteRequest(@NotNull @NotEmpty List<@NotNull InviteUser> users, @Nullable Boolean upsert) {

    public boolean upserts() {
        return Boolean.TRUE.equals(upsert);
    }

    /** One user to invite: email, names, role (Admin, Staff or User; User when absent), location, tags. */
    @Serdeable
    public record InviteUser(@Nullable String email, @Nullable String firstName, @Nullable String lastName,
                             @Nullable @Schema(description = "Admin, Staff or User, in any case; User when absent")
                             String role, @Nullable String location, @Nullable List<String> tags) {
    }
}

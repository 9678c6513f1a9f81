package io.roster.gateway.bulk;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.UUID;

/**
 * The bodies of the bulk jobs over existing users. Each selects its users by exactly one of {@code userIds} (at
 * most {@code ROSTER_MAX_ROWS_PER_JOB}, no repeats; row numbers in the job's errors are positions in this list,
 * from 1) or {@code filter} (the users list's filters, resolved to a fixed set of users when the job is submitted;
 * the job's {@code total} says how many it matched).
 */
public final class BulkRequests {

    private BulkRequests() {
    }

    /** The users list's filters: roles and statuses (any of), a tag, text, and whether sub-organizations count. */
    @Serdeable
    public record Filter(@Nullable @ArraySchema(schema = @Schema(allowableValues = {"Admin", "Staff", "User"}))
                         List<String> role,
                         @Nullable @ArraySchema(schema = @Schema(allowableValues = {"pending", "active", "inactive"}))
                         List<String> status, @Nullable String tag, @Nullable String q,
                         @Nullable Boolean includeSubOrgs) {
    }

    /**
     * Apply {@code tag} (or remove it, with {@code remove}); {@code create} defines it first when missing. Every
     * request names its users by {@code userIds}, or by a {@code filter} less {@code excludeUserIds}.
     */
    @Serdeable
    public record TagRequest(@Nullable List<UUID> userIds, @Nullable @Schema(type = "object") Filter filter,
                             @Nullable List<UUID> excludeUserIds,
                             @Nullable String tag,
                             @Nullable Boolean remove, @Nullable Boolean create) {
    }

    /** Delete the users; {@code confirm} must be exactly {@code DELETE}. */
    @Serdeable
    public record DeleteRequest(@Nullable List<UUID> userIds, @Nullable @Schema(type = "object") Filter filter,
                                @Nullable List<UUID> excludeUserIds,
                                @Nullable @Schema(allowableValues = "DELETE") String confirm) {
    }

    /**
     * Move the users to the organization where {@code destinationAdminEmail} is an Admin (within the caller's
     * reach), with {@code role} (User when absent).
     */
    @Serdeable
    public record TransferRequest(@Nullable List<UUID> userIds, @Nullable @Schema(type = "object") Filter filter,
                                  @Nullable List<UUID> excludeUserIds,
                                  @Nullable String destinationAdminEmail,
                                  @Nullable @Schema(allowableValues = {"Admin", "Staff", "User"}) String role) {
    }

    /**
     * Export the users as CSV: {@code columns} of the list (name, email, role, location, status, lastLogin, tags;
     * all when absent), {@code gzip} to compress. At most {@link BulkService#MAX_EXPORT_IDS} explicit ids; a filter
     * has no limit.
     */
    @Serdeable
    public record ExportRequest(@Nullable List<UUID> userIds, @Nullable @Schema(type = "object") Filter filter,
                                @Nullable List<UUID> excludeUserIds,
                                @Nullable @Schema(description = "With a filter: the file's order, as the users "
                                        + "list's sort (`status,desc`); by name when absent") String sort,
                                @Nullable @ArraySchema(schema = @Schema(allowableValues = {"name", "email", "role",
                                        "location", "status", "lastLogin", "tags"})) List<String> columns,
                                @Nullable Boolean gzip) {
    }
}

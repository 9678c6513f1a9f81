package io.roster.operations;

import io.roster.contracts.event.UserSnapshot;
import io.roster.contracts.event.UserUpdated;
import io.roster.contracts.user.Role;
import io.roster.operations.Selection.Found;
import io.roster.persistence.Jobs.RowError;
import io.roster.persistence.UserChunks;
import io.roster.persistence.Users;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * An import row with upsert for an account the organization already has: the row's names, role, location and tags
 * (a null, or an empty last name, keeps the current value; tags are added to the user's). Each changed account yields
 * one {@code roster.user.updated} event with its profile as it is now; an account already as the row says is counted
 * as succeeded and changes nothing. Refused per row: more than {@code maxTags} tags ({@code too_many_tags}), making
 * the organization's last admin something else ({@link LastAdminRule}), an account that left the organization since
 * the row was checked ({@code changed_meanwhile}).
 */
public final class UpdateFromImport {

    /** What an import row asks of an existing account. */
    public record Update(int rowNo, UUID id, String firstName, String lastName, Role role, String location,
                         List<String> tags) {
    }

    private UpdateFromImport() {
    }

    public static ChunkResult apply(Connection connection, UUID orgId, List<Update> updates, int maxTags, Actor actor)
            throws SQLException {
        List<RowError> errors = new ArrayList<>();
        if (updates.isEmpty()) {
            return new ChunkResult(0, errors);
        }
        Map<UUID, UserSnapshot> current = UserChunks.lockInOrg(connection, orgId,
                updates.stream().map(Update::id).toList());
        int unchanged = 0;
        Map<UUID, UserSnapshot> wanted = new LinkedHashMap<>();
        Map<UUID, Found> demoted = new LinkedHashMap<>();
        for (Update update : updates) {
            UserSnapshot now = current.get(update.id());
            if (now == null) {
                errors.add(new RowError(update.rowNo(), "email", "changed_meanwhile", "the account left this "
                        + "organization while the row was applied; submit the row again"));
                continue;
            }
            List<String> tags = new ArrayList<>(now.tags());
            update.tags().stream().filter(t -> !tags.contains(t)).forEach(tags::add);
            if (tags.size() > maxTags) {
                errors.add(new RowError(update.rowNo(), "tags", "too_many_tags", "the account would have "
                        + tags.size() + " tags; at most " + maxTags + " per user"));
                continue;
            }
            UserSnapshot after = new UserSnapshot(now.id(), now.orgId(), now.email(),
                    update.firstName() == null ? now.firstName() : update.firstName(),
                    update.lastName() == null || update.lastName().isEmpty() ? now.lastName() : update.lastName(),
                    update.role() == null ? now.role() : update.role(),
                    update.location() == null ? now.location() : update.location(), tags, now.status(),
                    now.lastLoginAt(), now.invitedAt(), now.updatedAt());
            if (after.equals(now)) {
                unchanged++;
                continue;
            }
            wanted.put(now.id(), after);
            if (now.role() == Role.Admin && after.role() != Role.Admin) {
                demoted.put(now.id(), new Found(now.id(), orgId, Role.Admin, now.email(), now.firstName(),
                        update.rowNo()));
            }
        }
        Set<UUID> demotions = new HashSet<>(demoted.keySet());
        LastAdminRule.keep(connection, demoted, errors, "role", "demote");
        demotions.removeAll(demoted.keySet());
        wanted.keySet().removeAll(demotions);
        List<Users.Change> changes = new ArrayList<>(wanted.size());
        if (!wanted.isEmpty()) {
            for (UserSnapshot user : UserChunks.updateProfiles(connection, new ArrayList<>(wanted.values()))) {
                changes.add(new Users.Change(UUID.randomUUID(), new UserUpdated(user.id(), user.orgId(),
                        user.firstName(), user.lastName(), user.role(), user.location(), user.tags(),
                        user.updatedAt(), actor.userId()), user, user.updatedAt(), actor.userId(), actor.client(),
                        "import with upsert, job " + actor.jobId(), null));
            }
            Users.recordChanges(connection, changes);
        }
        return new ChunkResult(unchanged + changes.size(), errors);
    }
}

package io.roster.operations;

import io.roster.contracts.event.UserSnapshot;
import io.roster.contracts.event.UserTagsChanged;
import io.roster.operations.Selection.Found;
import io.roster.persistence.Jobs.RowError;
import io.roster.persistence.UserChunks;
import io.roster.persistence.Users;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Adds a tag to users (or removes it), a chunk of ids at a time in the chunk's transaction. A user who already has
 * it (or, removing, has not) is counted as succeeded and changes nothing: no event, no activity. Refused per row: a
 * user out of reach ({@code not_found}), a user whose organization does not define the tag being added
 * ({@code tag_not_defined}). Each changed user yields one {@code roster.user.tags-changed} event.
 */
public final class TagUsers {

    private TagUsers() {
    }

    public static ChunkResult apply(Connection connection, UUID orgId, List<UUID> ids, int firstRowNo, String tag,
                                    boolean remove, Actor actor) throws SQLException {
        List<RowError> errors = new ArrayList<>();
        Map<UUID, Found> found = Selection.inReach(connection, orgId, ids, Selection.rows(firstRowNo, ids.size()),
                false, errors);
        if (!remove) {
            Selection.refuseUndefinedTag(connection, found, tag, errors);
        }
        List<Users.Change> changes = new ArrayList<>();
        for (UserSnapshot user : UserChunks.tag(connection, found.keySet(), tag, remove)) {
            UserTagsChanged data = new UserTagsChanged(user.id(), user.orgId(), remove ? List.of() : List.of(tag),
                    remove ? List.of(tag) : List.of(), user.tags(), user.updatedAt(), actor.userId(), actor.jobId());
            changes.add(new Users.Change(UUID.randomUUID(), data, user, user.updatedAt(), actor.userId(),
                    actor.client(), (remove ? "removed tag " : "added tag ") + tag, null));
        }
        Users.recordChanges(connection, changes);
        return new ChunkResult(found.size(), errors);
    }
}

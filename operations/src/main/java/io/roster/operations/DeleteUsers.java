package io.roster.operations;

import io.roster.contracts.event.UserDeleted;
import io.roster.operations.Selection.Found;
import io.roster.persistence.Jobs.RowError;
import io.roster.persistence.UserChunks;
import io.roster.persistence.Users;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Deletes users, a chunk of ids at a time in the chunk's transaction: their sessions end, their open invitation dies
 * with the row, and their closed ones and their activity with it ({@link UserChunks}, one statement), and each gets
 * a {@code roster.user.deleted} event and a tombstone on the users topic. Refused per row: a user out of reach ({@code not_found}), the caller
 * themself ({@link SelfAction}) and the last admin of an organization ({@link LastAdminRule}).
 */
public final class DeleteUsers {

    private DeleteUsers() {
    }

    public static ChunkResult apply(Connection connection, UUID orgId, List<UUID> ids, int firstRowNo, Actor actor,
                                    Instant now) throws SQLException {
        // Most users are not admins: they go in one statement that touches each row once (no separate read or lock
        // first). The rest (admins, the caller, ids not found, and a user whose role changed meanwhile) are then
        // locked and decided one by one: locked, their state cannot change before the commit. The lock of the
        // organization that the last-admin rule takes is held from there to the commit, so everything else is
        // done before it.
        List<RowError> errors = new ArrayList<>();
        List<UserChunks.Deleted> deleted = UserChunks.deleteNonAdminsInReach(connection, orgId, ids, actor.userId());
        Map<UUID, Found> found = Map.of();
        if (deleted.size() < ids.size()) {
            Set<UUID> gone = new HashSet<>(deleted.size() * 2);
            deleted.forEach(user -> gone.add(user.id()));
            List<UUID> rest = new ArrayList<>();
            List<Integer> restRows = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                if (!gone.contains(ids.get(i))) {
                    rest.add(ids.get(i));
                    restRows.add(firstRowNo + i);
                }
            }
            found = Selection.inReach(connection, orgId, rest, restRows, true, errors);
            SelfAction.refuse(found, actor, errors, "delete");
        }
        int succeeded = record(connection, deleted, actor, now);
        if (!found.isEmpty()) {
            LastAdminRule.keep(connection, found, errors, "userIds", "delete");
            succeeded += record(connection, UserChunks.delete(connection, found.keySet()), actor, now);
        }
        return new ChunkResult(succeeded, errors);
    }

    /** Records the deletions of users deleted (their activity went with them). @return how many */
    private static int record(Connection connection, List<UserChunks.Deleted> deleted, Actor actor, Instant now)
            throws SQLException {
        if (deleted.isEmpty()) {
            return 0;
        }
        List<Users.Change> changes = new ArrayList<>(deleted.size());
        for (UserChunks.Deleted user : deleted) {
            changes.add(new Users.Change(UUID.randomUUID(), new UserDeleted(user.id(), user.orgId(), now,
                    actor.userId(), actor.jobId()), null, now, actor.userId(), actor.client(), null, null));
        }
        Users.recordChanges(connection, changes);
        return changes.size();
    }
}

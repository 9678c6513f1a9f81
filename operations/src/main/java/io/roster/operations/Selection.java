package io.roster.operations;

import io.roster.contracts.user.Role;
import io.roster.persistence.Jobs.RowError;
import io.roster.persistence.UserChunks;
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
 * Which users a chunk of a bulk operation may touch. Every id is checked against the job organization's reach (it
 * and its sub-organizations) when the chunk applies, not only when the job was submitted: a user moved out of reach
 * in between is reported, not touched. An id out of reach and an id that does not exist get the same row error
 * ({@code not_found}), so a job tells nothing about other tenants.
 */
public final class Selection {

    /** A user a chunk names, found within reach: at which row of the job, in which organization, with which role. */
    public record Found(UUID id, UUID orgId, Role role, String email, String firstName, int rowNo) {
    }

    private Selection() {
    }

    /** The rows {@code firstRowNo}, {@code firstRowNo + 1}, ... of {@code count} ids. */
    static List<Integer> rows(int firstRowNo, int count) {
        List<Integer> rowNos = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            rowNos.add(firstRowNo + i);
        }
        return rowNos;
    }

    /**
     * The users of {@code ids} (at rows {@code rowNos}) within reach of {@code orgId}, in row order (locked when
     * {@code lock}); the others are added to {@code errors} as {@code not_found}.
     */
    public static Map<UUID, Found> inReach(Connection connection, UUID orgId, List<UUID> ids, List<Integer> rowNos,
                                           boolean lock, List<RowError> errors) throws SQLException {
        Map<UUID, UserChunks.Selected> rows = UserChunks.inReach(connection, orgId, ids, lock);
        Map<UUID, Found> inOrder = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            UUID id = ids.get(i);
            UserChunks.Selected user = rows.get(id);
            if (user == null) {
                errors.add(new RowError(rowNos.get(i), "userIds", "not_found",
                        "no user " + id + " in this organization or its sub-organizations"));
            } else {
                inOrder.put(id, new Found(id, user.orgId(), user.role(), user.email(), user.firstName(),
                        rowNos.get(i)));
            }
        }
        return inOrder;
    }

    /**
     * Takes out of {@code found} the users whose organization does not define {@code tag} ({@code tag_not_defined}):
     * a user carries only tags their own organization defines, so that deleting a tag finds every user who carries
     * it in its organization.
     */
    public static void refuseUndefinedTag(Connection connection, Map<UUID, Found> found, String tag,
                                          List<RowError> errors) throws SQLException {
        Set<UUID> orgs = new HashSet<>();
        found.values().forEach(user -> orgs.add(user.orgId()));
        if (orgs.isEmpty()) {
            return;
        }
        Set<UUID> defining = UserChunks.orgsDefining(connection, orgs, tag);
        found.values().removeIf(user -> {
            if (defining.contains(user.orgId())) {
                return false;
            }
            errors.add(new RowError(user.rowNo(), "userIds", "tag_not_defined", "the organization of user "
                    + user.id() + " does not define the tag; create it there first"));
            return true;
        });
    }
}

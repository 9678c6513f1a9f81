package io.roster.operations;

import io.roster.contracts.user.Role;
import io.roster.operations.Selection.Found;
import io.roster.persistence.Jobs.RowError;
import io.roster.persistence.Organizations;
import io.roster.persistence.UserChunks;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * An organization keeps at least one admin: the rule and its one lock, for every path that can take an admin away
 * (an edit of the role, an import with upsert, a transfer, a delete). The organizations concerned are locked
 * ({@link Organizations#lock}) until the caller's commit, so two demotions, a demotion and a delete, or chunks on
 * two workers decide one after the other, the second seeing the first's commit: two admins demoting each other at
 * the same moment, one succeeds and the other is refused.
 */
public final class LastAdminRule {

    private LastAdminRule() {
    }

    /**
     * Locks the organizations of {@code leaving} (organization id to the admins about to stop being its admins) and
     * returns those that would then have no admin. Call in the transaction that makes the change, before making it.
     */
    public static Set<UUID> orgsLeftWithout(Connection connection, Map<UUID, List<UUID>> leaving)
            throws SQLException {
        Map<UUID, List<UUID>> sorted = new TreeMap<>(leaving);
        Set<UUID> lastOnes = new HashSet<>();
        if (sorted.isEmpty()) {
            return lastOnes;
        }
        Organizations.lock(connection, sorted.keySet());
        for (Map.Entry<UUID, List<UUID>> org : sorted.entrySet()) {
            if (!UserChunks.hasAdminOtherThan(connection, org.getKey(), org.getValue())) {
                lastOnes.add(org.getKey());
            }
        }
        return lastOnes;
    }

    /** Whether taking {@code userId} out of the admins of {@code orgId} would leave it none (locks it). */
    public static boolean isLastAdmin(Connection connection, UUID orgId, UUID userId) throws SQLException {
        return !orgsLeftWithout(connection, Map.of(orgId, List.of(userId))).isEmpty();
    }

    /**
     * Leaves every organization at least one admin: an organization with no admin outside {@code found} keeps the
     * last of its admins there (in row order), who is taken out of {@code found} and reported as
     * {@code last_admin}. Call with the admins in {@code found} locked.
     */
    public static void keep(Connection connection, Map<UUID, Found> found, List<RowError> errors, String field,
                            String verb) throws SQLException {
        Map<UUID, List<Found>> adminsByOrg = new TreeMap<>();
        for (Found user : found.values()) {
            if (user.role() == Role.Admin) {
                adminsByOrg.computeIfAbsent(user.orgId(), k -> new ArrayList<>()).add(user);
            }
        }
        if (adminsByOrg.isEmpty()) {
            return;
        }
        Map<UUID, List<UUID>> leavingIds = new TreeMap<>();
        adminsByOrg.forEach((org, admins) -> leavingIds.put(org, admins.stream().map(Found::id).toList()));
        for (UUID org : orgsLeftWithout(connection, leavingIds)) {
            List<Found> leaving = adminsByOrg.get(org);
            Found last = leaving.get(leaving.size() - 1);
            found.remove(last.id());
            errors.add(new RowError(last.rowNo(), field, "last_admin", "user " + last.id()
                    + " is the last admin of their organization; make someone else an admin before you " + verb
                    + " them"));
        }
    }
}

package io.roster.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The last-admin rule and its one lock, for every path that can take an admin away (an edit of the role, an import
 * with upsert, a transfer, a delete): an organization keeps at least one admin. The organizations concerned are
 * locked ({@code FOR UPDATE}, in id order so that no two callers deadlock) until the caller's commit, so two
 * demotions, a demotion and a delete, or chunks on two workers decide one after the other, the second seeing the
 * first's commit. Two admins demoting each other at the same moment: one succeeds, the other is refused.
 */
public final class LastAdmins {

    private LastAdmins() {
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
        try (PreparedStatement ps = connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM users "
                + "WHERE org_id = ? AND role = 'Admin' AND id <> ALL (?))")) {
            for (Map.Entry<UUID, List<UUID>> org : sorted.entrySet()) {
                ps.setObject(1, org.getKey());
                ps.setArray(2, connection.createArrayOf("uuid", org.getValue().toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        lastOnes.add(org.getKey());
                    }
                }
            }
        }
        return lastOnes;
    }
}

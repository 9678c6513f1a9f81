package io.roster.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roster.contracts.user.Role;
import io.roster.persistence.Jobs.RowError;
import io.roster.persistence.Organizations;
import io.roster.persistence.Tx;
import io.roster.testsupport.TestDatabase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tenant reach over a four-level tree and a second tenant: from each organization, a chunk reaches the users of it
 * and of every organization below it, and no other (the others are not_found, as an id that does not exist). The SQL
 * rule ({@link Organizations#IN_REACH}, through {@link Selection#inReach}) and its Java twin
 * ({@link Organizations.Org#within}) agree on every pair. A transfer moves users down into a sub-organization and
 * up out of one, within reach, and never into or out of another tenant's.
 */
class ReachIT {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase("reach");
    static final Map<String, Organizations.Org> orgs = new LinkedHashMap<>();
    static final Map<String, UUID> users = new LinkedHashMap<>();

    @BeforeAll
    static void start() {
        UUID root = Fixtures.org(DB.pool());
        orgs.put("root", Tx.run(DB.pool(), c -> Organizations.find(c, root)).orElseThrow());
        orgs.put("a", Fixtures.child(DB.pool(), root));
        orgs.put("b", Fixtures.child(DB.pool(), orgs.get("a").id()));
        orgs.put("c", Fixtures.child(DB.pool(), orgs.get("b").id()));
        orgs.put("sibling", Fixtures.child(DB.pool(), root));
        UUID other = Fixtures.org(DB.pool());
        orgs.put("other", Tx.run(DB.pool(), c -> Organizations.find(c, other)).orElseThrow());
        orgs.forEach((name, org) -> users.put(name, Fixtures.user(DB.pool(), Role.User, org.id())));
        orgs.forEach((name, org) -> users.put(name + "-admin", Fixtures.user(DB.pool(), Role.Admin, org.id())));
    }

    @Test
    void eachOrganizationReachesItselfAndWhatIsBelowItOnly() throws Exception {
        Map<String, Set<String>> reaches = Map.of(
                "root", Set.of("root", "a", "b", "c", "sibling"),
                "a", Set.of("a", "b", "c"),
                "b", Set.of("b", "c"),
                "c", Set.of("c"),
                "sibling", Set.of("sibling"),
                "other", Set.of("other"));
        List<UUID> everyone = new ArrayList<>(users.values());
        everyone.add(UUID.randomUUID()); // no such user
        for (Map.Entry<String, Organizations.Org> from : orgs.entrySet()) {
            List<RowError> errors = new ArrayList<>();
            Map<UUID, Selection.Found> found = Tx.run(DB.pool(), c -> Selection.inReach(c, from.getValue().id(),
                    everyone, Selection.rows(1, everyone.size()), false, errors));
            for (Map.Entry<String, Organizations.Org> to : orgs.entrySet()) {
                boolean expected = reaches.get(from.getKey()).contains(to.getKey());
                assertEquals(expected, to.getValue().within(from.getValue().id()),
                        "Org.within: " + from.getKey() + " -> " + to.getKey());
                assertEquals(expected, found.containsKey(users.get(to.getKey())),
                        "IN_REACH: " + from.getKey() + " -> " + to.getKey());
            }
            assertEquals(everyone.size() - found.size(), errors.size());
            errors.forEach(e -> assertEquals("not_found", e.code()));
        }
    }

    @Test
    void aTransferMovesUsersDownAndUpWithinReachAndNeverAcrossTenants() throws Exception {
        UUID root = orgs.get("root").id();
        Actor actor = new Actor(users.get("root-admin"), UUID.randomUUID(), "test");
        UUID mover = Fixtures.user(DB.pool(), Role.Staff, root);
        ChunkResult down = Tx.run(DB.pool(), c -> TransferUsers.apply(c, root, List.of(mover), 1, orgs.get("c"),
                users.get("c-admin"), Role.User, actor));
        assertEquals(1, down.succeeded(), down.errors().toString());
        assertEquals(orgs.get("c").id(), orgOf(mover));
        ChunkResult up = Tx.run(DB.pool(), c -> TransferUsers.apply(c, orgs.get("a").id(), List.of(mover), 1,
                orgs.get("a"), users.get("a-admin"), Role.User, actor));
        assertEquals(1, up.succeeded(), up.errors().toString());
        assertEquals(orgs.get("a").id(), orgOf(mover));

        // from b, a user of a (above b) is out of reach; another tenant's user is out of reach from anywhere here
        ChunkResult upward = Tx.run(DB.pool(), c -> TransferUsers.apply(c, orgs.get("b").id(), List.of(mover,
                users.get("other")), 1, orgs.get("c"), users.get("c-admin"), Role.User, actor));
        assertEquals(0, upward.succeeded());
        assertEquals(List.of("not_found", "not_found"), upward.errors().stream().map(RowError::code).toList());
        assertEquals(orgs.get("a").id(), orgOf(mover));
        assertEquals(orgs.get("other").id(), orgOf(users.get("other")));
    }

    private static UUID orgOf(UUID user) {
        return Tx.run(DB.pool(), c -> {
            try (var ps = c.prepareStatement("SELECT org_id FROM users WHERE id = ?")) {
                ps.setObject(1, user);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getObject(1, UUID.class);
                }
            }
        });
    }
}

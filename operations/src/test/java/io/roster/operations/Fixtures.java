package io.roster.operations;

import io.roster.contracts.user.Role;
import io.roster.persistence.Organizations;
import io.roster.persistence.Tx;
import io.roster.persistence.Users;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/** Organizations and users written straight to the database, for the rules' tests. */
final class Fixtures {

    private Fixtures() {
    }

    static UUID org(DataSource pool) {
        UUID org = UUID.randomUUID();
        Tx.run(pool, c -> Organizations.insertRoot(c, org, "Org " + org));
        return org;
    }

    static Organizations.Org child(DataSource pool, UUID parent) {
        return Tx.run(pool, c -> Organizations.insertChild(c, UUID.randomUUID(), "Child of " + parent,
                Organizations.find(c, parent).orElseThrow()));
    }

    static UUID user(DataSource pool, Role role, UUID org) {
        UUID id = UUID.randomUUID();
        Tx.run(pool, c -> {
            Users.insertInvited(c, List.of(new Users.NewUser(id, org, id + "@example.com", "First" , "Last", role,
                    null, List.of(), null, Instant.now().truncatedTo(ChronoUnit.MICROS), null, null, "test")),
                    UUID::randomUUID);
            return null;
        });
        return id;
    }
}

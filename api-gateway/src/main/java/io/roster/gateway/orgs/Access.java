package io.roster.gateway.orgs;

import io.roster.contracts.user.Role;
import io.roster.gateway.auth.Caller;
import io.roster.gateway.problem.ProblemException;
import io.roster.persistence.Organizations;
import io.roster.persistence.Tx;
import jakarta.inject.Singleton;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Who may act where. A caller reaches their own organization and its descendants; anything else is answered as
 * not found, so that other tenants' ids reveal nothing. In this version only admins act on users and jobs; the
 * per-organization permission matrix refines this.
 */
@Singleton
public class Access {

    private final DataSource dataSource;

    public Access(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The organization {@code orgId}, if the caller reaches it and is an admin. */
    public Organizations.Org adminOf(Caller caller, UUID orgId) {
        Organizations.Org org = Tx.run(dataSource, c -> Organizations.find(c, orgId))
                .filter(o -> o.within(caller.orgId()))
                .orElseThrow(() -> ProblemException.notFound("Organization " + orgId));
        requireAdmin(caller);
        return org;
    }

    /** Whether the caller reaches {@code orgId} (its own organization or a descendant). */
    public boolean reaches(Caller caller, UUID orgId) {
        return Tx.run(dataSource, c -> Organizations.find(c, orgId)).map(o -> o.within(caller.orgId())).orElse(false);
    }

    public void requireAdmin(Caller caller) {
        if (caller.role() != Role.Admin) {
            throw ProblemException.forbidden("Only an organization's admins may do this.");
        }
    }
}

package io.roster.gateway.orgs;

import io.roster.persistence.repositories.ManagedTx;
import io.roster.contracts.user.Role;
import io.roster.gateway.auth.Caller;
import io.roster.gateway.problem.ProblemException;
import io.roster.persistence.Organizations;
import jakarta.inject.Singleton;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The organization tree and each organization's permissions: sub-organizations are created by an admin of the
 * parent, at most {@link Organizations#MAX_DEPTH} levels deep; the Staff and User permissions are changed by an
 * admin (Admin always holds every permission).
 */
@Singleton
public class OrgService {

    private final ManagedTx tx;
    private final PermissionMatrix matrix;
    private final Access access;

    public OrgService(ManagedTx tx, PermissionMatrix matrix, Access access) {
        this.tx = tx;
        this.matrix = matrix;
        this.access = access;
    }

    public Organizations.Org get(Caller caller, UUID orgId) {
        return access.reach(caller, orgId);
    }

    /** Creates a sub-organization named {@code name} (already checked as single-line text) under {@code orgId}. */
    public Organizations.Org createChild(Caller caller, UUID orgId, String name) {
        Organizations.Org parent = access.adminOf(caller, orgId);
        if (parent.depth() >= Organizations.MAX_DEPTH) {
            throw ProblemException.unprocessable("too-deep", "orgId", "organizations nest at most "
                    + Organizations.MAX_DEPTH + " levels deep; " + orgId + " is at level " + parent.depth());
        }
        return tx.run(c -> Organizations.insertChild(c, UUID.randomUUID(), name, parent));
    }

    public List<Organizations.Org> children(Caller caller, UUID orgId) {
        access.reach(caller, orgId);
        return tx.run(c -> Organizations.children(c, orgId));
    }

    /** Each role's permissions in the organization, each set sorted by name. */
    public Map<Role, Set<Permission>> permissions(Caller caller, UUID orgId) {
        access.reach(caller, orgId);
        Map<Role, Set<Permission>> out = new EnumMap<>(Role.class);
        matrix.load(orgId)
                .forEach((role, permissions) -> out.put(role, new TreeSet<>(permissions)));
        return out;
    }

    /** Sets the Staff and User permissions given; Admin's, when given, must be all of them. */
    public Map<Role, Set<Permission>> changePermissions(Caller caller, UUID orgId, Map<Role, Set<Permission>> roles) {
        access.adminOf(caller, orgId);
        if (roles.containsKey(Role.Admin) && !roles.get(Role.Admin).containsAll(Permission.defaults(Role.Admin))) {
            throw ProblemException.unprocessable("admin-permissions-fixed", "roles.Admin",
                    "admins always hold every permission");
        }
        tx.run(c -> {
            Organizations.lock(c, orgId);
            for (Role role : List.of(Role.Staff, Role.User)) {
                Set<Permission> permissions = roles.get(role);
                if (permissions != null) {
                    matrix.store(orgId, role, permissions);
                }
            }
            return null;
        });
        return permissions(caller, orgId);
    }
}

package io.roster.gateway.orgs;

import io.roster.persistence.repositories.ManagedTx;
import io.roster.contracts.user.Role;
import io.roster.gateway.auth.Caller;
import io.roster.gateway.problem.ProblemException;
import io.roster.persistence.Organizations;
import io.roster.persistence.UserChunks;
import jakarta.inject.Singleton;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Who may act where, checked on every call for every id it carries. A caller reaches their own organization and
 * its descendants; anything else is answered 404, so that other tenants' ids reveal nothing. Within reach, the
 * caller's role must hold the permission in their own organization's matrix, else 403.
 */
@Singleton
public class Access {

    private final ManagedTx tx;
    private final PermissionMatrix matrix;

    public Access(ManagedTx tx, PermissionMatrix matrix) {
        this.tx = tx;
        this.matrix = matrix;
    }

    /** A user in reach: their id and organization. */
    public record UserRef(UUID id, UUID orgId) {
    }

    /** The organization {@code orgId}, if the caller reaches it (else 404). */
    public Organizations.Org reach(Caller caller, UUID orgId) {
        return tx.run(c -> Organizations.find(c, orgId))
                .filter(o -> o.within(caller.orgId()))
                .orElseThrow(() -> ProblemException.notFound("Organization " + orgId));
    }

    /** The organization, if the caller reaches it and holds {@code permission}. */
    public Organizations.Org require(Caller caller, UUID orgId, Permission permission) {
        Organizations.Org org = reach(caller, orgId);
        require(caller, permission);
        return org;
    }

    /** The organization, if the caller reaches it and is an admin. */
    public Organizations.Org adminOf(Caller caller, UUID orgId) {
        Organizations.Org org = reach(caller, orgId);
        requireAdmin(caller);
        return org;
    }

    /** The user, if their organization is in the caller's reach (else 404) and the caller holds the permission. */
    public UserRef user(Caller caller, UUID userId, Permission permission) {
        UserRef user = tx.run(c -> UserChunks.inReach(c, caller.orgId(), List.of(userId), false))
                .values().stream().map(u -> new UserRef(u.id(), u.orgId())).findFirst().orElse(null);
        if (user == null) {
            throw ProblemException.notFound("User " + userId);
        }
        require(caller, permission);
        return user;
    }

    /** Whether the caller reaches {@code orgId} (its own organization or a descendant). */
    public boolean reaches(Caller caller, UUID orgId) {
        return tx.run(c -> Organizations.find(c, orgId)).map(o -> o.within(caller.orgId())).orElse(false);
    }

    public void require(Caller caller, Permission permission) {
        if (!permissions(caller).contains(permission)) {
            throw ProblemException.forbidden("Your role (" + caller.role() + ") does not have the '" + permission
                    + "' permission in your organization.");
        }
    }

    public void requireAdmin(Caller caller) {
        if (caller.role() != Role.Admin) {
            throw ProblemException.forbidden("Only an organization's admins may do this.");
        }
    }

    /** The caller's permissions: their role's row in their own organization's matrix, or the defaults. */
    public Set<Permission> permissions(Caller caller) {
        if (caller.role() == Role.Admin) {
            return EnumSet.allOf(Permission.class);
        }
        return matrix.load(caller.orgId()).get(caller.role());
    }
}

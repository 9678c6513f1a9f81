package io.roster.gateway.invitations;

import io.roster.persistence.repositories.ManagedTx;
import io.roster.contracts.user.UserStatus;
import io.roster.gateway.GatewayConfig;
import io.roster.gateway.auth.Caller;
import io.roster.gateway.auth.PasswordHasher;
import io.roster.gateway.auth.PasswordPolicy;
import io.roster.gateway.orgs.Access;
import io.roster.gateway.orgs.Permission;
import io.roster.gateway.problem.ProblemException;
import io.roster.persistence.Invitations;
import io.roster.persistence.Organizations;
import io.roster.persistence.Users;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Invitations: accepted with the mailed token (which sets the password, once), resent (a new token, the old one
 * dead) and revoked by callers with the {@code invite} permission over the user.
 */
@Singleton
public class InvitationService {

    private final ManagedTx tx;
    private final Access access;
    private final PasswordHasher hasher;
    private final GatewayConfig config;
    private final Clock clock;

    public InvitationService(ManagedTx tx, Access access, PasswordHasher hasher, GatewayConfig config,
                             Clock clock) {
        this.tx = tx;
        this.access = access;
        this.hasher = hasher;
        this.config = config;
        this.clock = clock;
    }

    /** Sets the password of the user invited with {@code token}, if the policy allows it and the token is open. */
    public Invitations.Acceptance accept(String token, String password) {
        PasswordPolicy.require(password);
        String hash = hasher.hash(password);
        return tx.run(c -> Invitations.accept(c, token.strip(), hash, clock.instant()));
    }

    /** Issues a new invitation to a pending user (409 otherwise); the old link dies. */
    public void resend(Caller caller, UUID userId) {
        Access.UserRef ref = access.user(caller, userId, Permission.invite);
        tx.run(c -> {
            var user = Users.find(c, userId);
            if (user.status() != UserStatus.pending) {
                throw ProblemException.conflict("not-pending", "The user is not pending",
                        "The user has logged in already; there is no invitation to resend.", null, null);
            }
            Organizations.Org org = Organizations.find(c, ref.orgId()).orElseThrow();
            Invitations.issue(c, userId, user.email(), user.firstName(), config.invitationTtl(),
                    io.roster.operations.Mails.invitations(org.name(), config.publicUrl()),
                    clock.instant().truncatedTo(ChronoUnit.MICROS));
            return null;
        });
    }

    /** Revokes the user's open invitation (404 when there is none). */
    public void revoke(Caller caller, UUID userId) {
        access.user(caller, userId, Permission.invite);
        int revoked = tx.run(c -> Invitations.revoke(c, userId, clock.instant()));
        if (revoked == 0) {
            throw ProblemException.notFound("An open invitation of user " + userId);
        }
    }
}

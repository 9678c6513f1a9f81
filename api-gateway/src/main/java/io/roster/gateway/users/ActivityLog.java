package io.roster.gateway.users;

import io.roster.persistence.repositories.ManagedTx;
import io.roster.gateway.auth.Caller;
import io.roster.gateway.orgs.Access;
import io.roster.gateway.orgs.Permission;
import io.roster.operations.Actor;
import io.roster.operations.MailActivityLog;
import io.roster.persistence.Activity;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * A user's activity log for callers with {@code view_activity}: read, or mailed to the caller's own email
 * ({@link MailActivityLog}).
 */
@Singleton
public class ActivityLog {

    private final ManagedTx tx;
    private final Access access;
    private final Clock clock;

    public ActivityLog(ManagedTx tx, Access access, Clock clock) {
        this.tx = tx;
        this.access = access;
        this.clock = clock;
    }

    /** The user's latest {@code limit} actions, newest first. */
    public List<Activity.Logged> latest(Caller caller, UUID userId, int limit) {
        access.user(caller, userId, Permission.view_activity);
        return tx.run(c -> Activity.latest(c, userId, limit));
    }

    public MailActivityLog.Mailed mail(Caller caller, UUID userId) {
        access.user(caller, userId, Permission.view_activity);
        return tx.run(c -> MailActivityLog.apply(c, userId, caller.email(),
                new Actor(caller.userId(), null, caller.client()), clock.instant().truncatedTo(ChronoUnit.MICROS)));
    }
}

package io.roster.workers.status;

import io.roster.contracts.event.StatusChanged;
import io.roster.persistence.Tx;
import io.roster.persistence.Users;
import io.roster.workers.consume.ConsumerLoop;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Applies status transitions from {@code roster.user-status.v1} to PostgreSQL, each with one
 * {@code roster.user.status-changed} event through the outbox. A transition not newer than the user's current
 * status (a re-delivery, or a late one) changes nothing and emits nothing.
 */
public final class StatusChangeHandler implements ConsumerLoop.Handler<StatusChanged> {

    private final DataSource dataSource;

    public StatusChangeHandler(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public boolean apply(StatusChanged transition) {
        return Tx.run(dataSource, connection -> Users.applyStatus(connection, transition, UUID.randomUUID()));
    }
}

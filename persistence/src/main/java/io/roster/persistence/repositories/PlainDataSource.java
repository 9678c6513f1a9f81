package io.roster.persistence.repositories;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.data.connection.jdbc.advice.ContextualAwareDataSource;
import jakarta.inject.Singleton;
import javax.sql.DataSource;

/**
 * Keeps the application's {@link DataSource} the pool it is. Micronaut Data would otherwise wrap it so that
 * {@code getConnection()} answers only inside a Micronaut connection scope; Roster's hand-written SQL takes its
 * connections from the pool itself ({@link io.roster.persistence.Tx}, the selection cursors), and the repositories
 * get theirs from Micronaut Data's connection operations, which {@link ManagedTx} binds to its transaction.
 */
@Singleton
@Replaces(ContextualAwareDataSource.class)
final class PlainDataSource implements BeanCreatedEventListener<DataSource> {

    @Override
    public DataSource onCreated(BeanCreatedEvent<DataSource> event) {
        return event.getBean();
    }
}

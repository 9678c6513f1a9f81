package io.roster.gateway.ops;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.roster.persistence.Database;
import io.roster.platform.BrokerCheck;
import io.roster.platform.Health;
import io.roster.platform.KafkaSettings;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.Producer;

/**
 * The gateway's operations: its meters carry {@code app=gateway} and an {@code instance} tag, as the other apps'
 * do; the pool's and the producer's meters are bound to Micronaut's registry (served at {@code GET /prometheus} with
 * {@code http.server.requests} per route); and {@code GET /health} has a database and a broker check, each with its
 * reason, beside Micronaut's own.
 */
@Factory
public class GatewayOps {

    /** This process's gateway, in the {@code instance} tag. */
    static final String INSTANCE = "roster-gateway-" + UUID.randomUUID().toString().substring(0, 8);

    @Singleton
    MeterFilter commonTags() {
        return MeterFilter.commonTags(io.micrometer.core.instrument.Tags.of("app", "gateway", "instance", INSTANCE));
    }

    /** Binds the pool and the producer to the registry at start (nothing else asks for this bean). */
    @Context
    @Bean(preDestroy = "close")
    ClientMeters clientMeters(@Named("default") HikariDataSource pool, Producer<String, byte[]> producer,
                              MeterRegistry registry) {
        pool.setMetricRegistry(registry);
        KafkaClientMetrics kafka = new KafkaClientMetrics(producer);
        kafka.bindTo(registry);
        return new ClientMeters(kafka);
    }

    /** The producer's binder, closed with the context. */
    public record ClientMeters(KafkaClientMetrics kafka) implements AutoCloseable {
        @Override
        public void close() {
            kafka.close();
        }
    }

    @Singleton
    @Bean(preDestroy = "close")
    BrokerCheck brokerCheck(KafkaSettings kafka) {
        return new BrokerCheck(kafka.bootstrapServers());
    }

    /** One of the platform's checks as a Micronaut health indicator: its status and its reason under {@code detail}. */
    abstract static class Indicator extends AbstractHealthIndicator<Map<String, Object>> {
        abstract Health.Check check();

        @Override
        protected Map<String, Object> getHealthInformation() {
            Health.Check check;
            try {
                check = check();
            } catch (RuntimeException e) {
                check = Health.Check.down(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            healthStatus = check.up() ? HealthStatus.UP : HealthStatus.DOWN;
            return Map.of("detail", check.detail());
        }
    }

    @Singleton
    static class DatabaseIndicator extends Indicator {
        private final HikariDataSource pool;

        DatabaseIndicator(@Named("default") HikariDataSource pool) {
            this.pool = pool;
        }

        @Override
        Health.Check check() {
            return Database.check(pool);
        }

        @Override
        protected String getName() {
            return "database";
        }
    }

    @Singleton
    static class BrokerIndicator extends Indicator {
        private final BrokerCheck broker;

        BrokerIndicator(BrokerCheck broker) {
            this.broker = broker;
        }

        @Override
        Health.Check check() {
            return broker.get();
        }

        @Override
        protected String getName() {
            return "broker";
        }
    }
}

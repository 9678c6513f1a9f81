package io.roster.gateway;

import com.zaxxer.hikari.HikariDataSource;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.serde.annotation.SerdeImport;
import io.roster.contracts.event.UserSnapshot;
import io.roster.contracts.Topics;
import io.roster.persistence.Database;
import io.roster.persistence.DbSettings;
import io.roster.platform.KafkaSettings;
import io.roster.platform.Settings;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

/** The gateway's infrastructure beans, all built from the one validated {@link Settings}. */
@Factory
@SerdeImport(UserSnapshot.class)
class GatewayBeans {

    @Singleton
    GatewayConfig gatewayConfig(Settings settings) {
        return GatewayConfig.from(settings);
    }

    @Singleton
    KafkaSettings kafkaSettings(Settings settings) {
        return KafkaSettings.from(settings);
    }

    @Singleton
    DbSettings dbSettings(Settings settings) {
        return DbSettings.from(settings);
    }

    @Singleton
    Topics topics(KafkaSettings kafka) {
        return kafka.topics();
    }

    /** The pool; named "default", the data source Micronaut Data's repositories and transactions use. */
    @Singleton
    @jakarta.inject.Named("default")
    @Bean(preDestroy = "close")
    HikariDataSource dataSource(DbSettings db) {
        return Database.pool(db, "roster-gateway");
    }

    @Singleton
    @Bean(preDestroy = "close")
    Producer<String, byte[]> producer(KafkaSettings kafka) {
        return new KafkaProducer<>(kafka.producer("roster-gateway-" + UUID.randomUUID().toString().substring(0, 8)));
    }

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}

package io.roster.gateway;

import io.roster.persistence.repositories.ManagedTx;
import io.micronaut.context.annotation.Context;
import io.roster.gateway.auth.PasswordHasher;
import io.roster.persistence.Database;
import io.roster.persistence.DbSettings;
import io.roster.persistence.Organizations;
import io.roster.persistence.Users;
import io.roster.platform.KafkaSettings;
import io.roster.platform.TopicProvisioner;
import io.roster.contracts.user.Role;
import jakarta.annotation.PostConstruct;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs before the server accepts requests: migrates the schema, creates missing topics, and, when the database
 * has no organization yet, creates the first organization and its admin (with a change event like any invite).
 * Safe when several gateways start at once: the bootstrap holds a transaction-scoped advisory lock.
 */
@Context
class Startup {

    private static final Logger LOG = LoggerFactory.getLogger(Startup.class);

    private final DataSource dataSource;
    private final ManagedTx tx;
    private final DbSettings db;
    private final KafkaSettings kafka;
    private final GatewayConfig config;
    private final PasswordHasher hasher;
    private final Clock clock;

    Startup(DataSource dataSource, ManagedTx tx, DbSettings db, KafkaSettings kafka, GatewayConfig config, PasswordHasher hasher,
            Clock clock) {
        this.dataSource = dataSource;
        this.tx = tx;
        this.db = db;
        this.kafka = kafka;
        this.config = config;
        this.hasher = hasher;
        this.clock = clock;
    }

    @PostConstruct
    void start() {
        Database.migrate(dataSource, db.schema());
        TopicProvisioner.ensureTopics(kafka);
        bootstrapFirstAdmin();
    }

    private void bootstrapFirstAdmin() {
        boolean generated = config.adminPassword() == null;
        String password = generated ? randomPassword() : config.adminPassword();
        boolean created = tx.run(connection -> {
            Organizations.lockFirst(connection);
            if (Organizations.any(connection)) {
                return false;
            }
            UUID orgId = UUID.randomUUID();
            Organizations.insertRoot(connection, orgId, config.adminOrg());
            Users.insertInvited(connection, List.of(new Users.NewUser(UUID.randomUUID(), orgId, config.adminEmail(),
                    "Admin", "", Role.Admin, null, List.of(), hasher.hash(password),
                    clock.instant().truncatedTo(ChronoUnit.MICROS), null, null, "bootstrap")), UUID::randomUUID);
            return true;
        });
        if (created) {
            LOG.info("Created the first organization '{}' and its admin {}{}", config.adminOrg(), config.adminEmail(),
                    generated ? " with the generated password: " + password : " with the configured password");
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}

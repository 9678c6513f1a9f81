package io.roster.gateway.auth;

import io.roster.persistence.repositories.ManagedTx;
import io.roster.contracts.Keys;
import io.roster.contracts.Topics;
import io.roster.contracts.event.LoginSucceeded;
import io.roster.contracts.serde.Json;
import io.roster.gateway.GatewayConfig;
import io.roster.gateway.problem.ProblemException;
import io.roster.persistence.repositories.LoginFailure;
import io.roster.persistence.repositories.LoginFailureRepository;
import io.roster.persistence.Users;
import java.time.Instant;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;

/**
 * Checks credentials and opens a session. A wrong email and a wrong password get the same answer after the same
 * work (a hash comparison either way). Each success publishes {@link LoginSucceeded} on {@code roster.logins.v1}
 * for the status topology, acknowledged before the token is handed out, and moves the user's last login forward.
 */
@Singleton
public class LoginService {

    private final ManagedTx tx;
    private final LoginFailureRepository failures;
    private final PasswordHasher hasher;
    private final Sessions sessions;
    private final Producer<String, byte[]> producer;
    private final Topics topics;
    private final GatewayConfig config;
    private final Clock clock;

    public LoginService(ManagedTx tx, LoginFailureRepository failures, PasswordHasher hasher, Sessions sessions, Producer<String, byte[]> producer,
                        Topics topics, GatewayConfig config, Clock clock) {
        this.tx = tx;
        this.failures = failures;
        this.hasher = hasher;
        this.sessions = sessions;
        this.producer = producer;
        this.topics = topics;
        this.config = config;
        this.clock = clock;
    }

    /** A new session: its token, its expiry, and the account it is for. */
    public record Login(String token, Instant expiresAt, Users.Account account) {
    }

    public Login login(String email, String password, String client) {
        String normalized = email.strip().toLowerCase(Locale.ROOT);
        reserveAttempt(normalized);
        Users.Account account = tx.run(c -> Users.account(c, normalized));
        boolean matches = hasher.matches(password, account == null ? null : account.passwordHash());
        if (!matches || account == null) {
            // the attempt reserved above stays counted as a failure
            throw ProblemException.unauthorized("The email or the password is wrong.");
        }
        failures.deleteByEmail(normalized);
        return signIn(account, client);
    }

    /**
     * Opens a session for a user whose password was just checked or set (an accepted invitation): the login is
     * recorded (the status topology makes a pending user active) and the session issued.
     */
    public Login signIn(UUID userId, String client) {
        Users.Account account = tx.run(c -> Users.account(c, Users.find(c, userId).email()));
        return signIn(account, client);
    }

    private Login signIn(Users.Account account, String client) {
        Instant now = clock.instant();
        publishLogin(new LoginSucceeded(account.id(), account.orgId(), now, client));
        tx.run(c -> {
            Users.recordLogin(c, account.id(), now);
            return null;
        });
        Sessions.Issued issued = sessions.issue(account.id(), client, config.sessionTtl());
        return new Login(issued.token(), issued.expiresAt(), account);
    }

    /**
     * Counts this attempt as a failure before the password is checked, and refuses it when the account (existing
     * or not, so that this reveals nothing) has {@code ROSTER_LOGIN_FAILURES} failures in the window already: 429
     * with Retry-After until the oldest of them leaves the window. Check and record are one step, under a lock of
     * the email (a transaction-scoped advisory lock), so that concurrent wrong passwords are never all evaluated:
     * at most the limit of them reach the hash comparison. A successful login then clears the account's failures.
     */
    private void reserveAttempt(String email) {
        Instant since = clock.instant().minus(config.loginFailureWindow());
        Instant oldest = tx.run(c -> {
            failures.lock(email);
            LoginFailureRepository.Recent recent = failures.recent(email, since, config.loginFailures());
            if (recent.count() >= config.loginFailures()) {
                return recent.oldest();
            }
            failures.save(LoginFailure.of(email));
            return null;
        });
        if (oldest != null) {
            Duration wait = Duration.between(clock.instant(), oldest.plus(config.loginFailureWindow()));
            throw ProblemException.tooManyRequests("login-locked", "Too many failed logins",
                    "Too many failed logins for this account; retry later.",
                    wait.isNegative() ? Duration.ofSeconds(1) : wait);
        }
    }

    private void publishLogin(LoginSucceeded event) {
        try {
            producer.send(io.roster.platform.CloudEventRecords.binary(topics.logins(), Keys.user(event.userId()),
                    UUID.randomUUID(), LoginSucceeded.TYPE, "/roster/api-gateway", event.at(),
                    event.userId().toString(), Json.write(event))).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProblemException.unavailable("Interrupted while recording the login.", Duration.ofSeconds(1));
        } catch (ExecutionException | TimeoutException e) {
            throw ProblemException.unavailable("The login could not be recorded; try again.", Duration.ofSeconds(5));
        }
    }
}

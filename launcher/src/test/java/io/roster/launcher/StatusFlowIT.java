package io.roster.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.roster.contracts.Keys;
import io.roster.contracts.event.LoginSucceeded;
import io.roster.contracts.event.UserChangeEvent;
import io.roster.contracts.event.UserStatusChanged;
import io.roster.contracts.serde.Json;
import io.roster.contracts.user.UserStatus;
import io.roster.testsupport.ApiClient;
import io.roster.testsupport.TestEnv;
import io.roster.testsupport.TopicReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Status over the real broker and database, with an inactivity period of seconds: a user goes pending → active →
 * inactive → active, each transition awaited as its event (never as a state seen within a wall-clock window) and the
 * list checked where its state holds, and the same after the status topology is restarted with its local state
 * lost (restored from the changelogs). Each transition is one status-changed event.
 */
class StatusFlowIT {

    @Test
    void statusFollowsLoginsAndSurvivesARestartOfTheTopology() throws Exception {
        TestEnv test = TestEnv.create("status");
        Map<String, String> env = new HashMap<>(InviteFlowIT.env(test));
        env.put("ROSTER_INACTIVITY_PERIOD", "PT6S");
        env.put("ROSTER_STATUS_CHECK_INTERVAL", "PT0.5S");
        PackagedRoster system = PackagedRoster.start(env);
        try (KafkaProducer<String, byte[]> idp = new KafkaProducer<>(test.kafka().producer("identity-provider"))) {
            ApiClient admin = new ApiClient(system.apiUri()).login(InviteFlowIT.ADMIN, InviteFlowIT.PASSWORD);
            String org = InviteFlowIT.orgOf(admin);
            String location = admin.post("/api/v1/orgs/" + org + "/jobs/invite",
                    Map.of("users", List.of(Map.of("email", "ida@example.com", "firstName", "Ida"))), Map.of())
                    .header("Location");
            InviteFlowIT.awaitFinished(admin, location);
            UUID ida = UUID.fromString(user(admin, org, "ida@example.com").get("id").asText());
            assertEquals("pending", user(admin, org, "ida@example.com").get("status").asText());
            // the admin's own login through the API moved them out of pending (by now maybe already inactive)
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
                    !user(admin, org, InviteFlowIT.ADMIN).get("status").asText().equals("pending"));

            // each transition is awaited as its event, not as a state in the list: an active user turns inactive
            // six seconds later, a window a loaded machine can miss; the list is checked where the state holds
            try (TopicReader reader = new TopicReader(test.infra().bootstrapServers(), test.topics().userChanges())) {
                List<UserStatus> seen = new ArrayList<>();
                Set<UUID> ids = new HashSet<>();
                login(idp, test, ida, UUID.fromString(org));
                awaitTransitions(reader, ida, ids, seen, 2);
                assertFalse(user(admin, org, "ida@example.com").get("lastLoginAt").isNull());
                awaitStatus(admin, org, "ida@example.com", "inactive");
                login(idp, test, ida, UUID.fromString(org));
                awaitTransitions(reader, ida, ids, seen, 3);

                // the whole packaged run stops and starts again, the topology's local state deleted in between
                system = system.restart(true);

                awaitTransitions(reader, ida, ids, seen, 4);
                awaitStatus(admin, org, "ida@example.com", "inactive");
                login(idp, test, ida, UUID.fromString(org));
                awaitTransitions(reader, ida, ids, seen, 6);
                assertEquals(List.of(UserStatus.active, UserStatus.inactive, UserStatus.active, UserStatus.inactive,
                        UserStatus.active, UserStatus.inactive), seen, "each transition once, in order");
                awaitStatus(admin, org, "ida@example.com", "inactive");
            }
        } finally {
            system.close();
        }
    }

    static void login(KafkaProducer<String, byte[]> idp, TestEnv test, UUID user, UUID org) throws Exception {
        idp.send(new ProducerRecord<>(test.topics().logins(), Keys.user(user),
                Json.write(new LoginSucceeded(user, org, Instant.now(), "identity-provider")))).get();
    }

    /** Reads ida's status-changed events (each event id once) until {@code count} transitions were seen. */
    private static void awaitTransitions(TopicReader reader, UUID user, Set<UUID> ids, List<UserStatus> seen,
                                         int count) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            reader.readToEnd().stream().map(r -> Json.read(r.value(), UserChangeEvent.class))
                    .filter(e -> e.data() instanceof UserStatusChanged s && s.userId().equals(user))
                    .forEach(e -> {
                        if (ids.add(e.id())) {
                            seen.add(((UserStatusChanged) e.data()).to());
                        }
                    });
            return seen.size() >= count;
        });
    }

    static JsonNode user(ApiClient admin, String org, String email) {
        for (JsonNode item : admin.get("/api/v1/orgs/" + org + "/users").json().get("items")) {
            if (item.get("email").asText().equals(email)) {
                return item;
            }
        }
        throw new AssertionError(email + " is not listed");
    }

    static void awaitStatus(ApiClient admin, String org, String email, String status) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> user(admin, org, email).get("status").asText().equals(status));
    }
}

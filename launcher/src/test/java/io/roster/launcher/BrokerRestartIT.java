package io.roster.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.roster.infra.KraftBroker;
import io.roster.infra.Ports;
import io.roster.testsupport.ApiClient;
import io.roster.testsupport.TestEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The broker is stopped and started again in the middle of a job (right after a chunk's database commit, before its
 * offset commit): the job completes, each row applied once, each change published with one event id.
 */
class BrokerRestartIT {

    @Test
    void aJobCompletesExactlyOnceAcrossABrokerRestart() throws Exception {
        TestEnv test = TestEnv.create("brokerrestart");
        Path logDir = Files.createTempDirectory("roster-restart-kafka-");
        int port = Ports.free();
        AtomicReference<KraftBroker> broker = new AtomicReference<>(KraftBroker.start(logDir, port, 4));
        Map<String, String> env = new HashMap<>(InviteFlowIT.env(test));
        env.put("ROSTER_KAFKA_BOOTSTRAP_SERVERS", broker.get().bootstrapServers());
        AtomicBoolean restarted = new AtomicBoolean();
        try (RosterSystem system = RosterSystem.start(env, command -> {
            if (restarted.compareAndSet(false, true)) {
                broker.get().close();
                broker.set(KraftBroker.start(logDir, port, 4));
            }
        })) {
            ApiClient admin = new ApiClient(system.apiUri()).login(InviteFlowIT.ADMIN, InviteFlowIT.PASSWORD);
            String org = InviteFlowIT.orgOf(admin);
            List<Map<String, Object>> users = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                users.add(Map.of("email", "restart" + i + "@example.com", "firstName", "R" + i));
            }
            String location = admin.post("/api/v1/orgs/" + org + "/jobs/invite", Map.of("users", users), Map.of())
                    .header("Location");
            JsonNode job = InviteFlowIT.awaitFinished(admin, location);
            assertTrue(restarted.get(), "the broker was restarted mid-job");
            assertEquals("succeeded", job.get("state").asText(), job.toString());
            assertEquals(6, job.get("succeeded").asInt());
            Map<UUID, Set<UUID>> events = InviteFlowIT.invitedEvents(test.env(Map.of(
                    "ROSTER_KAFKA_BOOTSTRAP_SERVERS", broker.get().bootstrapServers())), test, 7);
            assertEquals(7, events.size(), "the admin and the six");
            assertTrue(events.values().stream().allMatch(ids -> ids.size() == 1));
        } finally {
            broker.get().close();
        }
    }
}

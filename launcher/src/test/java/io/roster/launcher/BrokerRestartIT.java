package io.roster.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.roster.infra.KraftBroker;
import io.roster.infra.Ports;
import io.roster.testsupport.ApiClient;
import io.roster.testsupport.TestEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The broker is stopped and started again in the middle of a job run by the packaged launcher in its own process,
 * from outside it, whatever its threads are doing then (producing chunks' events, committing offsets, polling): the
 * job completes, each row applied once, each change published with one event id.
 */
class BrokerRestartIT {

    @Test
    void aJobCompletesExactlyOnceAcrossABrokerRestart() throws Exception {
        TestEnv test = TestEnv.create("brokerrestart");
        Path logDir = Files.createTempDirectory("roster-restart-kafka-");
        int port = Ports.free();
        KraftBroker broker = KraftBroker.start(logDir, port, 4);
        Map<String, String> env = new HashMap<>(InviteFlowIT.env(test));
        env.put("ROSTER_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        try (PackagedRoster system = PackagedRoster.start(env);
             var pool = io.roster.persistence.Database.pool(test.db(), "restart")) {
            ApiClient admin = new ApiClient(system.apiUri()).login(InviteFlowIT.ADMIN, InviteFlowIT.PASSWORD);
            String org = InviteFlowIT.orgOf(admin);
            List<Map<String, Object>> users = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                users.add(Map.of("email", "restart" + i + "@example.com", "firstName", "R" + i));
            }
            String location = admin.post("/api/v1/orgs/" + org + "/jobs/invite", Map.of("users", users), Map.of())
                    .header("Location");
            String job = location.substring(location.lastIndexOf('/') + 1);
            // the broker goes away while the packaged run is in the middle of the job: its workers' producers and
            // consumers lose it between any two steps, whatever they were doing, and must come back on their own
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() ->
                    io.roster.testsupport.Sql.count(pool, "SELECT processed FROM jobs WHERE id = '" + job + "'") > 0);
            broker.close();
            long processedWhileDown = io.roster.testsupport.Sql.count(pool, "SELECT processed FROM jobs WHERE id = '"
                    + job + "'");
            broker = KraftBroker.start(logDir, port, 4);
            JsonNode done = InviteFlowIT.awaitFinished(admin, location);
            assertTrue(processedWhileDown < 200, "the broker went away mid-job (" + processedWhileDown + " rows)");
            assertEquals("succeeded", done.get("state").asText(), done.toString());
            assertEquals(200, done.get("succeeded").asInt());
            assertEquals(200, done.get("processed").asInt());
            Map<UUID, List<UUID>> events = InviteFlowIT.invitedEvents(test.env(Map.of(
                    "ROSTER_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers())), test, 201);
            assertEquals(201, events.size(), "the admin and the two hundred");
            // a batch the broker did not acknowledge before it went away is re-sent (at least once), with its id
            assertTrue(events.values().stream().allMatch(ids -> Set.copyOf(ids).size() == 1),
                    "one event id per change");
        } finally {
            broker.close();
        }
    }
}

package io.roster.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roster.contracts.event.UserChangeEvent;
import io.roster.contracts.event.UserTagsChanged;
import io.roster.contracts.serde.Json;
import io.roster.testsupport.ApiClient;
import io.roster.testsupport.PrometheusScrape;
import io.roster.testsupport.TestEnv;
import io.roster.testsupport.TopicReader;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The README's scale-out command, {@code cluster --gateways 2 --workers 2 --streams 2}: six JVMs against one broker
 * and one database. A job's chunks are applied by both workers (by partition); one relay publishes; either gateway
 * serves the other's jobs; and a {@code kill -9} of the publishing worker, of a streams instance and of a gateway
 * loses nothing: one relay publishes again, every change of a job run meanwhile reaches the change topic with one id
 * each, the streams instances share the partitions again, the other gateway answers at once, and each killed
 * instance comes back (the command starts it again).
 */
class ScaleOutIT {

    private static final int USERS = 60;

    @Test
    void jobsSpreadOverWorkersAndEveryInstanceCanDieWithoutLoss() {
        TestEnv test = TestEnv.create("scale");
        Map<String, String> env = new HashMap<>(InviteFlowIT.env(test));
        env.put("ROSTER_CLUSTER_HEAP", "384m");
        int partitions = Integer.parseInt(env.get("ROSTER_TOPIC_PARTITIONS"));
        try (PackagedCluster cluster = PackagedCluster.start(env, "--gateways", "2", "--workers", "2",
                "--streams", "2")) {
            Map<String, Integer> ports = cluster.ports();
            assertEquals(List.of("gateway-1", "gateway-2", "workers-1", "workers-2", "streams-1", "streams-2"),
                    new ArrayList<>(ports.keySet()), cluster.output());
            ApiClient one = new ApiClient(uri(ports, "gateway-1")).login(InviteFlowIT.ADMIN, InviteFlowIT.PASSWORD);
            ApiClient two = new ApiClient(uri(ports, "gateway-2")).withToken(one.token());
            String org = InviteFlowIT.orgOf(one);
            String jobs = "/api/v1/orgs/" + org + "/jobs/";

            // one job of 30 chunks (over four partitions), submitted to one gateway, followed on the other, applied by both workers
            List<Map<String, Object>> users = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                users.add(Map.of("email", "scale" + i + "@x.example", "firstName", "Scale" + i, "role", "User"));
            }
            String invite = two.post(jobs + "invite", Map.of("users", users), Map.of()).header("Location");
            assertEquals("succeeded", InviteFlowIT.awaitFinished(one, invite).get("state").asText());
            ApiClient workers1 = new ApiClient(uri(ports, "workers-1"));
            ApiClient workers2 = new ApiClient(uri(ports, "workers-2"));
            Map<String, String> invited = Map.of("type", "invite", "outcome", "succeeded");
            double first = PrometheusScrape.of(workers1).sum("roster_job_rows_total", invited);
            double second = PrometheusScrape.of(workers2).sum("roster_job_rows_total", invited);
            assertEquals(USERS, first + second, "every row once, over both workers");
            assertTrue(first > 0 && second > 0, "both workers applied chunks: " + first + " and " + second);
            String leader = awaitOneRelay(ports);
            awaitShared(ports, partitions);

            // kill -9 the publishing worker, then tag everyone while it is away
            cluster.kill(leader);
            String tag = one.post(jobs + "tag", Map.of("filter", Map.of("role", List.of("User")), "tag", "scaled",
                    "create", true), Map.of()).header("Location");
            assertEquals("succeeded", InviteFlowIT.awaitFinished(two, tag).get("state").asText());
            assertEachUserTaggedOnce(test); // published by the standby relay, or by the restarted worker's
            awaitOneRelay(ports);

            // kill -9 a streams instance: its partitions and their state move, and come back with it
            cluster.kill("streams-1");
            awaitShared(ports, partitions);

            // kill -9 a gateway: the other answers at once
            cluster.kill("gateway-2");
            assertEquals(200, one.get("/api/v1/orgs/" + org + "/users?limit=1").status());

            // every killed instance is started again and is healthy, on its port
            for (String name : List.of(leader, "streams-1", "gateway-2")) {
                await().atMost(Duration.ofSeconds(120)).until(() -> LocalCluster.healthy(
                        new LocalCluster.Instance(name, Object.class, Map.of(), ports.get(name))));
            }
            assertEquals(200, two.get("/api/v1/orgs/" + org + "/users?limit=1").status(), "the restarted gateway");
            cluster.close();
            assertTrue(cluster.allInstancesGone(), "Ctrl-C stops every instance:\n" + cluster.output());
        }
    }

    private static URI uri(Map<String, Integer> ports, String name) {
        return URI.create("http://127.0.0.1:" + ports.get(name));
    }

    /** Waits until exactly one worker's relay is active (a worker away counts none); returns its name. */
    private static String awaitOneRelay(Map<String, Integer> ports) {
        String[] leader = new String[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            double a = relayActive(ports, "workers-1");
            double b = relayActive(ports, "workers-2");
            leader[0] = a == 1.0 ? "workers-1" : "workers-2";
            return a + b == 1.0;
        });
        return leader[0];
    }

    private static double relayActive(Map<String, Integer> ports, String name) {
        try {
            return PrometheusScrape.of(new ApiClient(uri(ports, name))).sum("roster_outbox_relay_active", Map.of());
        } catch (RuntimeException | AssertionError e) {
            return 0;
        }
    }

    /** Both streams instances run tasks, one per partition between them. */
    private static void awaitShared(Map<String, Integer> ports, int partitions) {
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> activeTasks(ports, "streams-1") > 0
                    && activeTasks(ports, "streams-2") > 0
                    && activeTasks(ports, "streams-1") + activeTasks(ports, "streams-2") == partitions);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the streams instances do not share the " + partitions + " partitions: "
                    + topology(ports, "streams-1") + " / " + topology(ports, "streams-2"), e);
        }
    }

    private static String topology(Map<String, Integer> ports, String name) {
        try {
            return new ApiClient(uri(ports, name)).get("/health").json().at("/checks/topology/detail").asText();
        } catch (RuntimeException e) {
            return "no answer (" + e + ")";
        }
    }

    /** The streams instance's active tasks, from its health check's detail (0 when it does not answer). */
    private static int activeTasks(Map<String, Integer> ports, String name) {
        try {
            String detail = topology(ports, name);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) active task").matcher(detail);
            int tasks = 0;
            while (m.find()) {
                tasks += Integer.parseInt(m.group(1));
            }
            return tasks;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** The tag job's changes on the change topic: each tagged user has one event id, and every user is there. */
    private static void assertEachUserTaggedOnce(TestEnv test) {
        Map<UUID, Set<UUID>> idsByUser = new HashMap<>();
        try (TopicReader reader = new TopicReader(test.infra().bootstrapServers(), test.topics().userChanges())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : reader.readToEnd()) {
                    UserChangeEvent event = Json.read(record.value(), UserChangeEvent.class);
                    if (event.data() instanceof UserTagsChanged) {
                        idsByUser.computeIfAbsent(event.data().userId(), u -> new HashSet<>()).add(event.id());
                    }
                }
                return idsByUser.size() == USERS;
            });
        }
        assertTrue(idsByUser.values().stream().allMatch(ids -> ids.size() == 1), "one event id per change: "
                + idsByUser);
    }
}

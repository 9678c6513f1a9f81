package io.roster.streams.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roster.contracts.Topics;
import io.roster.contracts.event.LoginSucceeded;
import io.roster.contracts.event.StatusChanged;
import io.roster.contracts.event.UserChangeEvent;
import io.roster.contracts.event.UserDeleted;
import io.roster.contracts.event.UserInvited;
import io.roster.contracts.event.UserStatusChanged;
import io.roster.contracts.event.UserTransferred;
import io.roster.contracts.serde.JsonSerde;
import io.roster.contracts.user.Role;
import io.roster.contracts.user.UserStatus;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The production status topology under TopologyTestDriver, with wall-clock time driven by the test. */
class StatusTopologyTest {

    static final Duration PERIOD = Duration.ofDays(30);
    static final Duration CHECK = Duration.ofMinutes(1);
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final Topics topics = Topics.defaults();
    final UUID org = UUID.randomUUID();
    TopologyTestDriver driver;
    TestInputTopic<String, LoginSucceeded> logins;
    TestInputTopic<String, UserChangeEvent> changes;
    TestOutputTopic<String, StatusChanged> transitions;

    @BeforeEach
    void setUp() throws Exception {
        var props = StatusTopology.streamsConfig("unused:9092", "status-test",
                Files.createTempDirectory("status-test").toString(), Duration.ofMillis(100), topics.deadLetters());
        driver = new TopologyTestDriver(StatusTopology.buildTopology(topics, PERIOD, CHECK), props, T0);
        logins = driver.createInputTopic(topics.logins(), Serdes.String().serializer(),
                JsonSerde.of(LoginSucceeded.class));
        changes = driver.createInputTopic(topics.userChanges(), Serdes.String().serializer(),
                JsonSerde.of(UserChangeEvent.class));
        transitions = driver.createOutputTopic(topics.userStatus(), Serdes.String().deserializer(),
                JsonSerde.of(StatusChanged.class));
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    void login(UUID user, Instant at) {
        logins.pipeInput(user.toString(), new LoginSucceeded(user, org, at, "test"), at);
    }

    void invite(UUID user) {
        changes.pipeInput(user.toString(), UserChangeEvent.of(UUID.randomUUID(), T0, new UserInvited(user, org,
                user + "@x.example", "F", "L", Role.User, null, List.of(), UserStatus.pending, T0, null, null)), T0);
    }

    KeyValueStore<String, UserActivity> users() {
        return driver.getKeyValueStore(StatusTopology.USERS_STORE);
    }

    KeyValueStore<Bytes, byte[]> due() {
        return driver.getKeyValueStore(StatusTopology.DUE_STORE);
    }

    @Test
    void firstLoginMakesAnInvitedUserActiveOnce() {
        UUID user = UUID.randomUUID();
        invite(user);
        assertEquals(UserStatus.pending, users().get(user.toString()).status());
        assertTrue(transitions.isEmpty(), "pending is where users start: nothing to announce");

        login(user, T0.plusSeconds(10));
        login(user, T0.plusSeconds(20));

        List<StatusChanged> out = transitions.readValuesToList();
        assertEquals(List.of(new StatusChanged(user, org, UserStatus.pending, UserStatus.active, T0.plusSeconds(10),
                T0.plusSeconds(10))), out);
        assertEquals(T0.plusSeconds(20), users().get(user.toString()).lastLoginAt());
    }

    @Test
    void inactiveExactlyWhenThePeriodEndsNotBefore() {
        UUID user = UUID.randomUUID();
        login(user, T0);
        transitions.readValuesToList();

        driver.advanceWallClockTime(PERIOD.minus(CHECK));
        assertTrue(transitions.isEmpty(), "one check interval before the boundary: still active");

        driver.advanceWallClockTime(CHECK);
        List<StatusChanged> out = transitions.readValuesToList();
        assertEquals(1, out.size());
        assertEquals(UserStatus.inactive, out.get(0).to());
        assertEquals(T0.plus(PERIOD), out.get(0).at());
        assertEquals(UserStatus.inactive, users().get(user.toString()).status());
    }

    @Test
    void inactiveJustPastTheBoundary() {
        UUID user = UUID.randomUUID();
        login(user, T0);
        transitions.readValuesToList();
        driver.advanceWallClockTime(PERIOD.plusMillis(1));
        StatusChanged inactive = transitions.readValue();
        assertEquals(UserStatus.inactive, inactive.to());
        assertEquals(T0.plus(PERIOD), inactive.at(), "the transition carries the boundary, not the tick");
        assertTrue(transitions.isEmpty());
        driver.advanceWallClockTime(CHECK.multipliedBy(3));
        assertTrue(transitions.isEmpty(), "once only");
    }

    @Test
    void aLoginBeforeTheBoundaryPushesItBackAndALaterOneReactivates() {
        UUID user = UUID.randomUUID();
        login(user, T0);
        driver.advanceWallClockTime(Duration.ofDays(20));
        login(user, T0.plus(Duration.ofDays(20)));
        driver.advanceWallClockTime(Duration.ofDays(15));
        assertEquals(List.of(UserStatus.active), transitions.readValuesToList().stream().map(StatusChanged::to).toList());

        driver.advanceWallClockTime(Duration.ofDays(16));
        assertEquals(UserStatus.inactive, transitions.readValue().to());

        login(user, T0.plus(Duration.ofDays(60)));
        StatusChanged back = transitions.readValue();
        assertEquals(UserStatus.inactive, back.from());
        assertEquals(UserStatus.active, back.to());
    }

    @Test
    void lateAndDuplicateLoginsNeverMoveAUserBack() {
        UUID user = UUID.randomUUID();
        login(user, T0.plus(Duration.ofDays(10)));
        login(user, T0.plus(Duration.ofDays(10)));
        login(user, T0.plus(Duration.ofDays(2)));
        assertEquals(1, transitions.readValuesToList().size());
        UserActivity activity = users().get(user.toString());
        assertEquals(T0.plus(Duration.ofDays(10)), activity.lastLoginAt());
        assertEquals(T0.plus(Duration.ofDays(40)), activity.dueAt());
        assertEquals(1, count(due()), "one index entry per active user, whatever the login order");
    }

    @Test
    void punctuationReadsAndRemovesOnlyTheDueUsers() {
        List<UUID> early = new ArrayList<>();
        List<UUID> late = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            UUID a = UUID.randomUUID();
            login(a, T0);
            early.add(a);
            UUID b = UUID.randomUUID();
            login(b, T0.plus(Duration.ofDays(5)));
            late.add(b);
        }
        transitions.readValuesToList();
        driver.advanceWallClockTime(PERIOD.plus(Duration.ofDays(1)));

        List<StatusChanged> out = transitions.readValuesToList();
        assertEquals(50, out.size());
        assertTrue(out.stream().allMatch(t -> early.contains(t.userId())));
        assertEquals(50, count(due()), "the due index keeps exactly the users not yet due");
        try (KeyValueIterator<Bytes, byte[]> it = due().all()) {
            it.forEachRemaining(kv -> assertTrue(late.contains(StatusProcessor.userOf(kv.key))));
        }
        assertNull(users().get(early.get(0).toString()).dueAt());
    }

    @Test
    void aDeletedUserIsForgottenAndNeverExpires() {
        UUID user = UUID.randomUUID();
        login(user, T0);
        transitions.readValuesToList();
        changes.pipeInput(user.toString(), UserChangeEvent.of(UUID.randomUUID(), T0.plusSeconds(5),
                new UserDeleted(user, org, T0.plusSeconds(5), null, null)), T0.plusSeconds(5));

        assertNull(users().get(user.toString()));
        assertEquals(0, count(due()));
        driver.advanceWallClockTime(PERIOD.plus(CHECK));
        assertTrue(transitions.isEmpty(), "a deleted user does not go inactive");
    }

    @Test
    void aTransferredUserKeepsStatusUnderTheNewOrganization() {
        UUID user = UUID.randomUUID();
        UUID destination = UUID.randomUUID();
        login(user, T0);
        transitions.readValuesToList();
        changes.pipeInput(user.toString(), UserChangeEvent.of(UUID.randomUUID(), T0.plusSeconds(5),
                new UserTransferred(user, destination, org, Role.User, T0.plusSeconds(5), null, null)), T0.plusSeconds(5));
        assertEquals(UserStatus.active, users().get(user.toString()).status());
        assertEquals(destination, users().get(user.toString()).orgId());

        driver.advanceWallClockTime(PERIOD.plus(CHECK));
        StatusChanged inactive = transitions.readValue();
        assertEquals(destination, inactive.orgId());
        assertEquals(UserStatus.inactive, inactive.to());
    }

    @Test
    void itsOwnStatusEventsComingBackChangeNothing() {
        UUID user = UUID.randomUUID();
        login(user, T0);
        transitions.readValuesToList();
        UserActivity before = users().get(user.toString());
        changes.pipeInput(user.toString(), UserChangeEvent.of(UUID.randomUUID(), T0, new UserStatusChanged(user, org,
                UserStatus.pending, UserStatus.active, T0, T0)), T0);
        assertEquals(before, users().get(user.toString()));
        assertTrue(transitions.isEmpty());
    }

    static int count(KeyValueStore<Bytes, byte[]> store) {
        int n = 0;
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    @Test
    void activityRoundTripsThroughItsStoreFormat() {
        UserActivitySerde serde = new UserActivitySerde();
        for (UserActivity a : List.of(new UserActivity(org, UserStatus.active, T0, T0.plus(PERIOD)),
                new UserActivity(null, UserStatus.pending, null, null))) {
            assertEquals(a, serde.deserialize("t", serde.serialize("t", a)));
        }
    }
}

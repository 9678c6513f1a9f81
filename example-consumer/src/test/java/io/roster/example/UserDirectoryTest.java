package io.roster.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The directory's rules, record by record: state by user, another organization or a tombstone removes, events once. */
class UserDirectoryTest {

    static final String ORG = "0b1d6c4e-0000-4000-8000-000000000001";
    static final String OTHER = "0b1d6c4e-0000-4000-8000-000000000002";

    final List<CloudEvent> told = new ArrayList<>();
    final UserDirectory directory = new UserDirectory("127.0.0.1:9", "roster.", ORG, told::add);

    static ConsumerRecord<String, byte[]> state(String user, String org) {
        String json = org == null ? null : "{\"id\":\"" + user + "\",\"orgId\":\"" + org + "\",\"email\":\"" + user
                + "@x.example\"}";
        return new ConsumerRecord<>("roster.users.v1", 0, 0L, user, json == null ? null
                : json.getBytes(StandardCharsets.UTF_8));
    }

    static ConsumerRecord<String, byte[]> change(String id, String user, String data) {
        CloudEvent event = CloudEventBuilder.v1().withId(id).withSource(URI.create("/roster/workers"))
                .withType("io.roster.user.updated.v1").withSubject(user).withTime(OffsetDateTime.now())
                .withDataContentType("application/json").withData(data.getBytes(StandardCharsets.UTF_8)).build();
        ProducerRecord<String, byte[]> sent = KafkaMessageFactory.createWriter("roster.user-changes.v1", user)
                .writeStructured(event, new JsonFormat());
        return new ConsumerRecord<>(sent.topic(), 0, 0L, 0L, TimestampType.CREATE_TIME, 0, 0, sent.key(),
                sent.value(), sent.headers(), Optional.empty());
    }

    @Test
    void keepsTheLatestStateOfTheOrganizationsUsers() {
        directory.apply(state("a", ORG));
        directory.apply(state("b", ORG));
        directory.apply(state("c", OTHER));
        assertEquals(java.util.Set.of("a", "b"), directory.users().keySet());
        directory.apply(state("b", OTHER)); // transferred away
        directory.apply(state("a", null)); // deleted: a tombstone
        directory.apply(state("c", ORG)); // transferred here
        assertEquals(java.util.Set.of("c"), directory.users().keySet());
        assertEquals(ORG, directory.users().get("c").get("orgId").asText());
    }

    @Test
    void handsEachEventOnOnceAndCountsWhatCameAgain() {
        directory.apply(change("e1", "a", "{\"x\":1,\"y\":2}"));
        directory.apply(change("e1", "a", "{\"y\":2, \"x\":1}")); // the same event again, its fields reordered
        directory.apply(change("e2", "a", "{\"x\":3}"));
        directory.apply(change("e2", "a", "{\"x\":4}")); // the same id with other data: never expected
        assertEquals(List.of("e1", "e2"), told.stream().map(CloudEvent::getId).toList());
        assertEquals(2, directory.events());
        assertEquals(1, directory.redelivered());
        assertEquals(1, directory.conflicts());
        assertEquals(Map.of(), directory.users());
    }
}

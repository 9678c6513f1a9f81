package io.roster.platform;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Records of Roster's own input and internal event topics ({@code roster.logins.v1}, {@code roster.user-status.v1})
 * in the CloudEvents Kafka binding's binary mode, written by the CloudEvents SDK: the value is the event's data as
 * before (the JSON its consumers read), its attributes are {@code ce_*} headers and {@code content-type} is
 * {@code application/json}. (The change topic is structured mode: its envelope is the contract downstream reads.)
 */
public final class CloudEventRecords {

    /** Where a schema's id starts; the type follows (as on the change topic). */
    public static final String SCHEMA_PREFIX = "urn:roster:schema:";

    private CloudEventRecords() {
    }

    /**
     * @param id      the event's id: stable for the same event (a re-send carries the same one)
     * @param type    reverse-DNS and versioned, {@code io.roster.user.login.v1}; its schema is
     *                {@link #SCHEMA_PREFIX} and the type
     * @param source  who produced it ({@code /roster/api-gateway})
     * @param subject the user id (also the key)
     * @param data    the event's JSON
     */
    public static ProducerRecord<String, byte[]> binary(String topic, String key, UUID id, String type, String source,
                                                         Instant time, String subject, byte[] data) {
        CloudEvent event = CloudEventBuilder.v1().withId(id.toString()).withType(type)
                .withSource(URI.create(source)).withTime(time.atOffset(ZoneOffset.UTC)).withSubject(subject)
                .withDataContentType("application/json").withDataSchema(URI.create(SCHEMA_PREFIX + type))
                .withData(data).build();
        return KafkaMessageFactory.createWriter(topic, key).writeBinary(event);
    }
}

package io.roster.contracts.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A CloudEvents 1.0 event as published on {@code roster.user-changes.v1} in structured mode (the JSON format, the
 * record's {@code content-type} header {@code application/cloudevents+json}, written by the CloudEvents SDK's Kafka
 * binding), keyed by user id.
 *
 * <p>{@code id} is assigned once, in the database transaction that made the change; a consumer may see it
 * more than once (at-least-once delivery) and should deduplicate by it. {@code type} is reverse-DNS and versioned
 * ({@code io.roster.user.invited.v1}) and names the shape of {@code data}, whose JSON Schema {@code dataschema}
 * names ({@code urn:roster:schema:} and the type; the files are in this module's {@code schemas} resources). An
 * unknown type fails deserialization.
 */
public record UserChangeEvent(
        String specversion,
        UUID id,
        String source,
        Instant time,
        String subject,
        String datacontenttype,
        String dataschema,
        @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXTERNAL_PROPERTY, property = "type")
        @JsonSubTypes({
            @JsonSubTypes.Type(value = UserInvited.class, name = UserChangeEvent.INVITED),
            @JsonSubTypes.Type(value = UserStatusChanged.class, name = UserChangeEvent.STATUS_CHANGED),
            @JsonSubTypes.Type(value = UserTransferred.class, name = UserChangeEvent.TRANSFERRED),
            @JsonSubTypes.Type(value = UserDeleted.class, name = UserChangeEvent.DELETED),
            @JsonSubTypes.Type(value = UserUpdated.class, name = UserChangeEvent.UPDATED),
            @JsonSubTypes.Type(value = UserLoggedOut.class, name = UserChangeEvent.LOGGED_OUT),
            @JsonSubTypes.Type(value = UserTagsChanged.class, name = UserChangeEvent.TAGS_CHANGED)})
        UserChange data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String SOURCE = "/roster/workers";
    public static final String INVITED = "io.roster.user.invited.v1";
    public static final String STATUS_CHANGED = "io.roster.user.status-changed.v1";
    public static final String TRANSFERRED = "io.roster.user.transferred.v1";
    public static final String DELETED = "io.roster.user.deleted.v1";
    public static final String UPDATED = "io.roster.user.updated.v1";
    public static final String LOGGED_OUT = "io.roster.user.logged-out.v1";
    public static final String TAGS_CHANGED = "io.roster.user.tags-changed.v1";
    /** Every type, in the order of the schema files' listing. */
    public static final java.util.List<String> TYPES = java.util.List.of(INVITED, UPDATED, TAGS_CHANGED, TRANSFERRED,
            STATUS_CHANGED, LOGGED_OUT, DELETED);
    /** What a schema's id is: this prefix and the type (or the snapshot's and the envelope's own names). */
    public static final String SCHEMA_PREFIX = "urn:roster:schema:";
    /** The schema of this envelope. */
    public static final String ENVELOPE_SCHEMA = "io.roster.user-change.v1";
    /** The schema of the values on the compacted users topic. */
    public static final String SNAPSHOT_SCHEMA = "io.roster.user.snapshot.v1";

    public UserChangeEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(data, "data");
    }

    public static UserChangeEvent of(UUID id, Instant time, UserChange data) {
        return new UserChangeEvent(SPEC_VERSION, id, SOURCE, time, data.userId().toString(), "application/json",
                SCHEMA_PREFIX + data.eventType(), data);
    }

    /** The CloudEvents type of this event, such as {@code io.roster.user.invited.v1}. */
    public String type() {
        return typeOf(data);
    }

    public static String typeOf(UserChange data) {
        return data.eventType();
    }
}

package io.roster.contracts.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A CloudEvents 1.0 structured-mode event as published on {@code roster.user-changes.v1}, keyed by user id.
 *
 * <p>{@code id} is assigned once, in the database transaction that made the change; a consumer may see it
 * more than once (at-least-once delivery) and should deduplicate by it. {@code type} is carried beside
 * {@code data} and names its shape; an unknown type fails deserialization.
 */
public record UserChangeEvent(
        String specversion,
        UUID id,
        String source,
        Instant time,
        String subject,
        String datacontenttype,
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
    public static final String INVITED = "roster.user.invited";
    public static final String STATUS_CHANGED = "roster.user.status-changed";
    public static final String TRANSFERRED = "roster.user.transferred";
    public static final String DELETED = "roster.user.deleted";
    public static final String UPDATED = "roster.user.updated";
    public static final String LOGGED_OUT = "roster.user.logged-out";
    public static final String TAGS_CHANGED = "roster.user.tags-changed";

    public UserChangeEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(data, "data");
    }

    public static UserChangeEvent of(UUID id, Instant time, UserChange data) {
        return new UserChangeEvent(SPEC_VERSION, id, SOURCE, time, data.userId().toString(), "application/json", data);
    }

    /** The CloudEvents type of this event, such as {@code roster.user.invited}. */
    public String type() {
        return typeOf(data);
    }

    public static String typeOf(UserChange data) {
        return data.eventType();
    }
}

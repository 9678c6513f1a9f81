package io.roster.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.UUID;

/**
 * The data of a change event on {@code roster.user-changes.v1}. Each permitted type has one CloudEvents
 * {@code type} name, given by {@link UserChangeEvent#typeOf(UserChange)}.
 */
public sealed interface UserChange permits UserInvited, UserStatusChanged, UserTransferred, UserDeleted, UserUpdated, UserLoggedOut,
        UserTagsChanged {

    UUID userId();

    UUID orgId();

    /** The CloudEvents type name of this kind of change, as registered on {@link UserChangeEvent#data()}. */
    @JsonIgnore
    String eventType();

    /**
     * What the activity log calls this change: the type without its namespace and version
     * ({@code roster.user.invited} for {@code io.roster.user.invited.v1}).
     */
    @JsonIgnore
    default String action() {
        String type = eventType();
        return type.substring("io.".length(), type.lastIndexOf(".v"));
    }
}

package io.roster.contracts.event;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A user's tags changed (type {@code io.roster.user.tags-changed.v1}): {@code added} or {@code removed} (one of them is
 * empty) and the tags as they are now. Applying a tag the user already has changes nothing and emits nothing.
 */
public record UserTagsChanged(UUID userId, UUID orgId, List<String> added, List<String> removed, List<String> tags,
                              Instant at, UUID changedBy, UUID jobId) implements UserChange {

    public UserTagsChanged {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        tags = List.copyOf(tags);
    }

    @Override
    public String eventType() {
        return UserChangeEvent.TAGS_CHANGED;
    }
}

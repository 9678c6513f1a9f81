package io.roster.streams.status;

import io.roster.contracts.event.LoginSucceeded;
import io.roster.contracts.event.StatusChanged;
import io.roster.contracts.event.UserChange;
import io.roster.contracts.event.UserChangeEvent;
import io.roster.contracts.event.UserDeleted;
import io.roster.contracts.event.UserInvited;
import io.roster.contracts.event.UserTransferred;
import io.roster.contracts.user.UserStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Derives status transitions from logins and lifecycle events, keyed by user id.
 *
 * <p>Rules: a user is pending until the first login; any login makes them active; when the inactivity period passes
 * with no login they become inactive; the next login makes them active again. Only transitions are emitted, once
 * each. A login not newer than the latest seen changes nothing (late and duplicate events never move a user back).
 *
 * <p>Inactivity is found by a wall-clock punctuator that range-scans a second store indexing active users by the
 * time they fall due, so each tick reads only the users that are due, never every user.
 */
final class StatusProcessor implements Processor<String, Object, String, StatusChanged> {

    private final Duration inactivityPeriod;
    private final Duration checkInterval;
    private ProcessorContext<String, StatusChanged> context;
    private KeyValueStore<String, UserActivity> users;
    private KeyValueStore<String, String> due;

    StatusProcessor(Duration inactivityPeriod, Duration checkInterval) {
        this.inactivityPeriod = inactivityPeriod;
        this.checkInterval = checkInterval;
    }

    @Override
    public void init(ProcessorContext<String, StatusChanged> context) {
        this.context = context;
        this.users = context.getStateStore(StatusTopology.USERS_STORE);
        this.due = context.getStateStore(StatusTopology.DUE_STORE);
        context.schedule(checkInterval, PunctuationType.WALL_CLOCK_TIME, this::expire);
    }

    @Override
    public void process(Record<String, Object> record) {
        if (record.value() instanceof LoginSucceeded login) {
            login(record.key(), login, record.timestamp());
        } else if (record.value() instanceof UserChangeEvent change) {
            lifecycle(record.key(), change);
        }
    }

    private void login(String userId, LoginSucceeded login, long timestamp) {
        UserActivity before = users.get(userId);
        if (before != null && before.lastLoginAt() != null && !login.at().isAfter(before.lastLoginAt())) {
            return;
        }
        if (before != null && before.dueAt() != null) {
            due.delete(dueKey(before.dueAt(), userId));
        }
        Instant dueAt = login.at().plus(inactivityPeriod);
        UUID orgId = login.orgId() != null ? login.orgId() : before == null ? null : before.orgId();
        users.put(userId, new UserActivity(orgId, UserStatus.active, login.at(), dueAt));
        due.put(dueKey(dueAt, userId), userId);
        UserStatus from = before == null ? UserStatus.pending : before.status();
        if (from != UserStatus.active) {
            context.forward(new Record<>(userId, new StatusChanged(UUID.fromString(userId), orgId, from,
                    UserStatus.active, login.at(), login.at()), timestamp));
        }
    }

    /**
     * Invited: tracked as pending. Transferred: same status, new organization. Deleted: forgotten, with its index
     * entry. Status changes are this topology's own output coming back: nothing to do.
     */
    private void lifecycle(String userId, UserChangeEvent change) {
        UserActivity current = users.get(userId);
        UserChange data = change.data();
        if (data instanceof UserInvited invited) {
            if (current == null) {
                users.put(userId, new UserActivity(invited.orgId(), UserStatus.pending, null, null));
            }
        } else if (data instanceof UserTransferred transferred) {
            if (current != null) {
                users.put(userId, new UserActivity(transferred.orgId(), current.status(), current.lastLoginAt(),
                        current.dueAt()));
            }
        } else if (data instanceof UserDeleted) {
            if (current != null) {
                if (current.dueAt() != null) {
                    due.delete(dueKey(current.dueAt(), userId));
                }
                users.delete(userId);
            }
        }
    }

    /** Marks inactive every active user whose period ended by {@code now}; reads only the due index's head. */
    private void expire(long now) {
        List<KeyValue<String, String>> expired = new ArrayList<>();
        try (KeyValueIterator<String, String> it = due.range(StatusTopology.DUE_MIN, dueKeyUpTo(now))) {
            while (it.hasNext()) {
                expired.add(it.next());
            }
        }
        for (KeyValue<String, String> entry : expired) {
            due.delete(entry.key);
            String userId = entry.value;
            UserActivity activity = users.get(userId);
            if (activity == null || activity.status() != UserStatus.active || activity.dueAt() == null
                    || activity.dueAt().toEpochMilli() > now) {
                continue;
            }
            users.put(userId, new UserActivity(activity.orgId(), UserStatus.inactive, activity.lastLoginAt(), null));
            context.forward(new Record<>(userId, new StatusChanged(UUID.fromString(userId), activity.orgId(),
                    UserStatus.active, UserStatus.inactive, activity.dueAt(), activity.lastLoginAt()), now));
        }
    }

    /** Index keys sort by due time: zero-padded epoch millis, then the user id. */
    static String dueKey(Instant dueAt, String userId) {
        return String.format("%019d:%s", Math.max(0, dueAt.toEpochMilli()), userId);
    }

    private static String dueKeyUpTo(long epochMillis) {
        return String.format("%019d:~", Math.max(0, epochMillis));
    }
}

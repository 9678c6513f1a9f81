package io.roster.streams.status;

import io.roster.contracts.event.LoginSucceeded;
import io.roster.contracts.event.StatusChanged;
import io.roster.contracts.event.UserChange;
import io.roster.contracts.event.UserChangeEvent;
import io.roster.contracts.event.UserDeleted;
import io.roster.contracts.event.UserInvited;
import io.roster.contracts.event.UserTransferred;
import io.roster.contracts.user.UserStatus;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.utils.Bytes;
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
    private KeyValueStore<Bytes, byte[]> due;

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
        due.put(dueKey(dueAt, userId), NOTHING);
        UserStatus from = before == null ? UserStatus.pending : before.status();
        if (from != UserStatus.active) {
            emit(userId, new StatusChanged(UUID.fromString(userId), orgId, from, UserStatus.active, login.at(),
                    login.at()), timestamp);
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
        List<Bytes> expired = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = due.range(DUE_MIN, dueKeyUpTo(now))) {
            while (it.hasNext()) {
                expired.add(it.next().key);
            }
        }
        for (Bytes key : expired) {
            due.delete(key);
            String userId = userOf(key).toString();
            UserActivity activity = users.get(userId);
            if (activity == null || activity.status() != UserStatus.active || activity.dueAt() == null
                    || activity.dueAt().toEpochMilli() > now) {
                continue;
            }
            users.put(userId, new UserActivity(activity.orgId(), UserStatus.inactive, activity.lastLoginAt(), null));
            emit(userId, new StatusChanged(UUID.fromString(userId), activity.orgId(), UserStatus.active,
                    UserStatus.inactive, activity.dueAt(), activity.lastLoginAt()), now);
        }
    }

    /**
     * Forwards a transition as a CloudEvent in binary mode: the transition is the value, its attributes the
     * {@code ce_*} headers (the SDK's), its id the same whenever the same transition is emitted again.
     */
    private void emit(String userId, StatusChanged transition, long timestamp) {
        var headers = io.roster.platform.CloudEventRecords.binary("unused", userId, transition.eventId(),
                StatusChanged.TYPE, "/roster/streams-topology", transition.at(), userId,
                io.roster.contracts.serde.Json.write(transition)).headers();
        context.forward(new Record<>(userId, transition, timestamp, headers));
    }

    private static final byte[] NOTHING = new byte[0];
    private static final Bytes DUE_MIN = Bytes.wrap(new byte[24]);

    /**
     * Index keys sort by due time: 8 bytes of big-endian epoch millis (never negative, so unsigned byte order is
     * time order), then the 16 bytes of the user id.
     */
    static Bytes dueKey(Instant dueAt, String userId) {
        UUID user = UUID.fromString(userId);
        return Bytes.wrap(ByteBuffer.allocate(24).putLong(Math.max(0, dueAt.toEpochMilli()))
                .putLong(user.getMostSignificantBits()).putLong(user.getLeastSignificantBits()).array());
    }

    /** The user of an index key. */
    static UUID userOf(Bytes dueKey) {
        ByteBuffer buffer = ByteBuffer.wrap(dueKey.get());
        buffer.getLong();
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    private static Bytes dueKeyUpTo(long epochMillis) {
        byte[] key = new byte[24];
        Arrays.fill(key, (byte) 0xFF);
        ByteBuffer.wrap(key).putLong(Math.max(0, epochMillis));
        return Bytes.wrap(key);
    }
}

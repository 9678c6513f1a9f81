package io.roster.streams.status;

import io.roster.contracts.user.UserStatus;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The users store's value format: 34 fixed bytes (organization id, status, latest login, due time; -1 for none),
 * not JSON, because every login reads and writes it. Internal to the topology and its changelog; a leading
 * version byte leaves room to change it.
 */
final class UserActivitySerde implements Serde<UserActivity>, Serializer<UserActivity>, Deserializer<UserActivity> {

    private static final byte VERSION = 1;
    private static final int SIZE = 1 + 16 + 1 + 8 + 8;
    private static final UserStatus[] STATUSES = UserStatus.values();

    @Override
    public byte[] serialize(String topic, UserActivity activity) {
        if (activity == null) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.allocate(SIZE);
        buffer.put(VERSION);
        UUID org = activity.orgId() == null ? new UUID(0, 0) : activity.orgId();
        buffer.putLong(org.getMostSignificantBits()).putLong(org.getLeastSignificantBits());
        buffer.put((byte) activity.status().ordinal());
        buffer.putLong(activity.lastLoginAt() == null ? -1 : activity.lastLoginAt().toEpochMilli());
        buffer.putLong(activity.dueAt() == null ? -1 : activity.dueAt().toEpochMilli());
        return buffer.array();
    }

    @Override
    public UserActivity deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.wrap(data);
        byte version = buffer.get();
        if (version != VERSION) {
            throw new IllegalStateException("unknown user activity format " + version);
        }
        UUID org = new UUID(buffer.getLong(), buffer.getLong());
        UserStatus status = STATUSES[buffer.get()];
        long lastLogin = buffer.getLong();
        long due = buffer.getLong();
        return new UserActivity(org.getMostSignificantBits() == 0 && org.getLeastSignificantBits() == 0 ? null : org,
                status, lastLogin < 0 ? null : Instant.ofEpochMilli(lastLogin), due < 0 ? null : Instant.ofEpochMilli(due));
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // nothing to configure
    }

    @Override
    public void close() {
        // stateless
    }

    @Override
    public Serializer<UserActivity> serializer() {
        return this;
    }

    @Override
    public Deserializer<UserActivity> deserializer() {
        return this;
    }
}

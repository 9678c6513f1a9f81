package io.roster.testsupport;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** What a consumer group has committed: the evidence crash tests need that an applied record will come again. */
public final class CommittedOffsets {

    private CommittedOffsets() {
    }

    /** The offsets {@code group} committed on {@code topic}, summed over its partitions (0 when none). */
    public static long sum(String bootstrapServers, String group, String topic) {
        try (Admin kafka = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            return kafka.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not read the offsets of " + group, e);
        }
    }
}

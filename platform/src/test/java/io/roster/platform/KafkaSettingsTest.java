package io.roster.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/**
 * The client settings the guarantees rest on, which no end-to-end test can tell apart from their absence: the relay's
 * and the gateway's producers are idempotent with acks=all and at most five requests in flight (a retry after a lost
 * acknowledgement is not written twice and order per partition holds); consumers commit by hand and read only
 * committed transactions (a chunk is applied before its offset is committed; an aborted submission is never seen).
 */
class KafkaSettingsTest {

    private final KafkaSettings kafka = KafkaSettings.from(new Settings(Map.of()));

    @Test
    void producersAreIdempotentWithAcksFromAllReplicas() {
        for (Map<String, Object> props : java.util.List.of(kafka.producer("p"), kafka.transactionalProducer("t", "t"))) {
            assertEquals(true, props.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
            assertEquals("all", props.get(ProducerConfig.ACKS_CONFIG));
            assertTrue((Integer) props.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION) <= 5);
        }
        assertEquals("t", kafka.transactionalProducer("t", "t").get(ProducerConfig.TRANSACTIONAL_ID_CONFIG));
    }

    @Test
    void consumersCommitByHandAndReadCommittedOnly() {
        Map<String, Object> props = kafka.consumer("group", "client");
        assertEquals(false, props.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG));
        assertEquals("read_committed", props.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG));
        assertEquals("group", props.get(ConsumerConfig.GROUP_ID_CONFIG));
    }
}

package io.roster.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roster.platform.Settings;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

class JobConsumerTest {

    @Test
    void aJobConsumerTakesAFewChunksAPollNotKafkasDefault500() {
        WorkersConfig config = WorkersConfig.from(new Settings(Map.of("ROSTER_KAFKA_BOOTSTRAP_SERVERS", "localhost:1",
                "ROSTER_DB_URL", "jdbc:postgresql://localhost:1/x")));
        Map<String, Object> props = Workers.jobConsumer(config, "test");
        // a few seconds of work and a megabyte or two of chunks a poll, not Kafka's 500 records
        assertEquals(8, props.get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG));
        assertEquals("roster-workers", props.get(ConsumerConfig.GROUP_ID_CONFIG),
                "every worker instance shares one group: the name is part of the deployment");
    }

    @Test
    void theMailerTakesAPollOfMailsItRecordsAtOnce() {
        WorkersConfig config = WorkersConfig.from(new Settings(Map.of("ROSTER_KAFKA_BOOTSTRAP_SERVERS", "localhost:1",
                "ROSTER_DB_URL", "jdbc:postgresql://localhost:1/x")));
        Map<String, Object> props = Workers.mailConsumer(config, "test");
        // at most a poll's mails are sent again after a crash: the bound the README gives
        assertEquals(100, props.get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG));
        assertEquals("roster-mailer", props.get(ConsumerConfig.GROUP_ID_CONFIG));
    }
}

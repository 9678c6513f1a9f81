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
        assertEquals(Workers.JOB_POLL_RECORDS, props.get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG));
        assertEquals(Workers.GROUP_ID, props.get(ConsumerConfig.GROUP_ID_CONFIG));
    }

    @Test
    void theMailerTakesAPollOfMailsItRecordsAtOnce() {
        WorkersConfig config = WorkersConfig.from(new Settings(Map.of("ROSTER_KAFKA_BOOTSTRAP_SERVERS", "localhost:1",
                "ROSTER_DB_URL", "jdbc:postgresql://localhost:1/x")));
        Map<String, Object> props = Workers.mailConsumer(config, "test");
        assertEquals(io.roster.workers.mail.Mailer.POLL_RECORDS, props.get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG));
        assertEquals(Workers.MAIL_GROUP_ID, props.get(ConsumerConfig.GROUP_ID_CONFIG));
    }
}

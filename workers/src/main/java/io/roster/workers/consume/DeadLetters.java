package io.roster.workers.consume;

import io.roster.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Sends a record that cannot be processed to {@code roster.dlq.v1}, unchanged, with where it came from and why in
 * headers ({@code roster.dlq.topic}, {@code .partition}, {@code .offset}, {@code .error}, {@code .consumer}).
 * Synchronous: the caller commits the original offset only after the dead letter is safely stored.
 */
public final class DeadLetters {

    private final Producer<String, byte[]> producer;
    private final Topics topics;
    private final String consumer;
    private final io.micrometer.core.instrument.MeterRegistry registry;

    /** @param registry counts dead letters ({@code roster_dead_letters_total}) by the topic they came from */
    public DeadLetters(Producer<String, byte[]> producer, Topics topics, String consumer,
                       io.micrometer.core.instrument.MeterRegistry registry) {
        this.producer = producer;
        this.topics = topics;
        this.consumer = consumer;
        this.registry = registry;
    }

    /** @param error what went wrong, without personal data ({@link Failures#describe}) */
    public void send(ConsumerRecord<String, byte[]> record, String error) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add("roster.dlq.topic", bytes(record.topic()));
        headers.add("roster.dlq.partition", bytes(Integer.toString(record.partition())));
        headers.add("roster.dlq.offset", bytes(Long.toString(record.offset())));
        headers.add("roster.dlq.consumer", bytes(consumer));
        headers.add("roster.dlq.error", bytes(error));
        try {
            producer.send(new ProducerRecord<>(topics.deadLetters(), null, record.key(), record.value(), headers)).get();
            registry.counter("roster.dead.letters", "topic", record.topic()).increment();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not dead-letter " + record.topic() + "@" + record.offset(), e);
        }
    }

    private static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }
}

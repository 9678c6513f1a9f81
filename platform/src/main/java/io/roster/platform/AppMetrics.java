package io.roster.platform;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * One app's metrics: a Prometheus registry whose every meter carries {@code app} (gateway, workers, streams) and
 * {@code instance} tags, with the JVM's meters bound, plus the Kafka clients' own metrics (Micrometer's binder:
 * consumer lag per group, topic and partition, fetch and send rates) for each client handed to it. Closing it
 * stops the binders. Several apps in one process (the local run) each have their own.
 */
public final class AppMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry;
    private final List<AutoCloseable> bindings = new ArrayList<>();

    public AppMetrics(String app, String instance) {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("app", app, "instance", instance);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        bindings.add(gc);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Binds a consumer's metrics, tagged with its group (lag per group, topic and partition). */
    public <C extends Consumer<?, ?>> C consumer(C consumer, String group) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(consumer, Tags.of("group", group));
        metrics.bindTo(registry);
        bindings.add(metrics);
        return consumer;
    }

    public <P extends Producer<?, ?>> P producer(P producer) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(producer);
        metrics.bindTo(registry);
        bindings.add(metrics);
        return producer;
    }

    /** A {@link BrokerCheck} that closes with these metrics. */
    public BrokerCheck brokerCheck(String bootstrapServers) {
        BrokerCheck check = new BrokerCheck(bootstrapServers);
        bindings.add(check);
        return check;
    }

    @Override
    public void close() {
        for (AutoCloseable binding : bindings) {
            try {
                binding.close();
            } catch (Exception e) {
                // closing: nothing left to report to
            }
        }
        registry.close();
    }
}

package io.roster.platform;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * A health check of the broker: the cluster answers a metadata request within two seconds (UP with how many brokers
 * answered), else DOWN with why. One admin client per check, closed with it.
 */
public final class BrokerCheck implements Supplier<Health.Check>, AutoCloseable {

    private final String bootstrapServers;
    private final Admin admin;

    public BrokerCheck(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000));
    }

    @Override
    public Health.Check get() {
        try {
            int brokers = admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000)).nodes()
                    .get(3, TimeUnit.SECONDS).size();
            return Health.Check.up(brokers + " broker(s) answer at " + bootstrapServers);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            return Health.Check.down("no answer from " + bootstrapServers + ": " + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.Check.down("interrupted");
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}

package io.roster.gateway.auth;

import io.roster.gateway.GatewayConfig;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per organization (the caller's own), so that one tenant cannot starve the others: refills at
 * {@code ROSTER_ORG_REQUESTS_PER_SECOND}, holds twice that. Per gateway instance: with N instances behind a load
 * balancer an organization gets about N times the rate.
 */
@Singleton
public class OrgRateLimiter {

    private final double perSecond;
    private final double capacity;
    private final ConcurrentHashMap<UUID, Bucket> buckets = new ConcurrentHashMap<>();

    public OrgRateLimiter(GatewayConfig config) {
        this.perSecond = config.orgRequestsPerSecond();
        this.capacity = 2.0 * config.orgRequestsPerSecond();
    }

    private final class Bucket {
        private double tokens = capacity;
        private long refilledAt = System.nanoTime();

        synchronized Optional<Duration> take() {
            long now = System.nanoTime();
            tokens = Math.min(capacity, tokens + (now - refilledAt) / 1e9 * perSecond);
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return Optional.empty();
            }
            return Optional.of(Duration.ofMillis((long) Math.ceil((1 - tokens) / perSecond * 1000)));
        }
    }

    /** Empty when the request may go ahead, else how long to wait. */
    public Optional<Duration> acquire(UUID orgId) {
        return buckets.computeIfAbsent(orgId, id -> new Bucket()).take();
    }
}

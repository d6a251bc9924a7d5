package dev.keel.app.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Where workers take events from and how hard they try: the {@code events} section.
 *
 * @param kind              {@code embedded} (an inbox in the journal's database, the default) or {@code redis}
 * @param redisUrl          the Redis server, for kind redis
 * @param stream            the Redis stream; its dead letters go to {@code STREAM:dlq}
 * @param group             the Redis consumer group
 * @param maxDeliveries     deliveries before an event that keeps failing is dead-lettered
 * @param maxPayload        the largest event body accepted, in bytes; a larger one is dead-lettered unread
 * @param visibilityTimeout how long a taken event is hidden from other workers; it must outlast a rebalance, or the
 *                          event is delivered again while it runs (its effect stays single: the journal has its id)
 * @param backoff           the wait before the second delivery of a failed event, doubled for each further one
 * @param maxBackoff        the longest wait between deliveries
 * @param idle              how long a worker waits when no event is due before it asks again
 * @param allocationHosts   the hosts (lower case) an event's {@code allocation_url} may name, besides the host of
 *                          the account's own configured allocation service; an event naming another host is
 *                          dead-lettered, so that whoever can push an event cannot make a worker fetch any URL
 */
public record EventsSettings(Kind kind, String redisUrl, String stream, String group, int maxDeliveries,
                             int maxPayload, Duration visibilityTimeout, Duration backoff, Duration maxBackoff,
                             Duration idle, java.util.List<String> allocationHosts) {
    /** The default deliveries before dead-lettering: 5. */
    public static final int DEFAULT_MAX_DELIVERIES = 5;
    /** The default largest event body: 64 KiB. */
    public static final int DEFAULT_MAX_PAYLOAD = 64 * 1024;
    /** The defaults: the embedded inbox, 5 deliveries, 64 KiB, 5 min visibility, backoff 1 s doubling to 5 min. */
    public static final EventsSettings DEFAULTS = new EventsSettings(Kind.EMBEDDED, null, "keel:events", "keel",
            DEFAULT_MAX_DELIVERIES, DEFAULT_MAX_PAYLOAD, Duration.ofMinutes(5), Duration.ofSeconds(1),
            Duration.ofMinutes(5), Duration.ofMillis(500), java.util.List.of());

    /** Settings without allocation hosts of their own. */
    public EventsSettings(Kind kind, String redisUrl, String stream, String group, int maxDeliveries, int maxPayload,
                          Duration visibilityTimeout, Duration backoff, Duration maxBackoff, Duration idle) {
        this(kind, redisUrl, stream, group, maxDeliveries, maxPayload, visibilityTimeout, backoff, maxBackoff, idle,
                java.util.List.of());
    }

    /** Where events come from. */
    public enum Kind implements WireName {
        EMBEDDED("embedded"), REDIS("redis");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        @Override
        public String wire() {
            return wire;
        }
    }

    public EventsSettings {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(visibilityTimeout, "visibilityTimeout");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(idle, "idle");
        allocationHosts = java.util.List.copyOf(allocationHosts);
        if (kind == Kind.REDIS && redisUrl == null) {
            throw new IllegalArgumentException("redisUrl is required for kind redis, but was null");
        }
        if (maxDeliveries < 1) {
            throw new IllegalArgumentException("maxDeliveries must be at least 1, but was " + maxDeliveries);
        }
        if (maxPayload < 1) {
            throw new IllegalArgumentException("maxPayload must be at least 1, but was " + maxPayload);
        }
    }

    /** The wait before delivery {@code attempt + 1} of an event whose delivery {@code attempt} failed. */
    public Duration backoffAfter(int attempt) {
        Duration wait = backoff;
        for (int i = 1; i < attempt && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}

package dev.keel.core.execution;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One request budget of a broker: the whole broker's, shared by every account on it, or one account's when the
 * policy's scope is {@link RateLimitPolicy.Scope#ACCOUNT} (a broker counting per API key): a sliding log of the
 * last {@code calls} permits, so no window of length {@code per} ever holds more than {@code calls} of them. A
 * permit not free now is reserved at the first instant it frees, and the caller waits for it through the injected
 * sleeper; one further than {@code maxWait} away is refused. A 429 with Retry-After pauses the budget's calls until
 * then. Thread-safe.
 *
 * <p>Keel keeps its own limiter: resilience4j's {@code AtomicRateLimiter} reads {@code System.nanoTime()} and parks
 * the thread, which simulated time cannot drive (law 11); and a token bucket refilled at {@code calls/per} lets up
 * to twice {@code calls} through in one window after an idle spell, which a broker counting in sliding windows
 * answers with 429.
 */
public final class BrokerRateLimiter {
    private final RateLimitPolicy policy;
    private final Clock clock;
    private final long perNanos;
    private final long maxWaitNanos;
    /** Epoch nanos of the last {@code calls} permits, oldest at {@code head}; nondecreasing from there. */
    private final long[] permits;
    private int head;
    private long pausedUntil = Long.MIN_VALUE;

    BrokerRateLimiter(RateLimitPolicy policy, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.perNanos = policy.per().toNanos();
        this.maxWaitNanos = policy.maxWait().toNanos();
        this.permits = new long[policy.calls()];
        Arrays.fill(permits, Long.MIN_VALUE / 2);
    }

    public RateLimitPolicy policy() {
        return policy;
    }

    /**
     * Reserves the next permit.
     *
     * @return how long the caller must wait before calling (zero when free now), or null when the permit is more
     *         than {@code maxWait} away and nothing was reserved
     */
    public synchronized Duration reserve() {
        return reserve(maxWaitNanos);
    }

    /** Reserves a permit only if one is free now, as a health probe does; false reserves nothing. */
    public synchronized boolean tryNow() {
        return reserve(0) != null;
    }

    /** How long from now until a permit frees, for the Retry-After of a refusal. */
    public synchronized Duration untilFree() {
        long now = now();
        return Duration.ofNanos(Math.max(0, earliest(now) - now));
    }

    /**
     * The broker answered 429 with {@code retryAfter}: no permit is given before then.
     *
     * @return the new end of the pause, or null when an earlier 429 already paused as long
     */
    public synchronized Instant pause(Duration retryAfter) {
        long until = now() + retryAfter.toNanos();
        if (until <= pausedUntil) {
            return null;
        }
        pausedUntil = until;
        return Instant.ofEpochSecond(0, until);
    }

    private Duration reserve(long allowedWait) {
        long now = now();
        long at = earliest(now);
        long wait = at - now;
        if (wait > allowedWait) {
            return null;
        }
        permits[head] = at;
        head = (head + 1) % permits.length;
        return Duration.ofNanos(wait);
    }

    private long earliest(long now) {
        return Math.max(now, Math.max(permits[head] + perNanos, pausedUntil));
    }

    private long now() {
        Instant t = clock.instant();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}

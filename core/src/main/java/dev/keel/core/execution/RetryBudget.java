package dev.keel.core.execution;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * The retry budget of one broker, shared by all its accounts and endpoints: a retry is granted only while the
 * retries granted in the sliding window stay within {@code max(minimumRetries, ratio * firstAttempts)}, where the
 * first attempts are the calls sent in the window less the retries granted in it. So a broker outage adds at most
 * {@code ratio} to the traffic instead of multiplying it by the attempt count. Thread-safe.
 *
 * <p>The window slides in {@value #BUCKETS} steps of {@code window / BUCKETS}, by the injected clock (law 11).
 */
public final class RetryBudget {
    /** How many steps the window slides in. */
    static final int BUCKETS = 10;

    private final RetryBudgetPolicy policy;
    private final Clock clock;
    private final long bucketNanos;
    /** Per step: its absolute index (time / step), the calls sent and the retries granted in it. */
    private final long[] slot = new long[BUCKETS];
    private final long[] calls = new long[BUCKETS];
    private final long[] retries = new long[BUCKETS];
    private long granted;
    private long refused;

    RetryBudget(RetryBudgetPolicy policy, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.bucketNanos = Math.max(1, policy.window().toNanos() / BUCKETS);
        java.util.Arrays.fill(slot, Long.MIN_VALUE);
    }

    public RetryBudgetPolicy policy() {
        return policy;
    }

    /** Counts one call sent to the broker, first attempt or retry. */
    public synchronized void recordCall() {
        calls[bucket(now())]++;
    }

    /** Takes one retry from the budget; false, taking nothing, when the budget is spent. */
    public synchronized boolean tryRetry() {
        long current = now() / bucketNanos;
        long sent = 0;
        long retried = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (slot[i] > current - BUCKETS) {
                sent += calls[i];
                retried += retries[i];
            }
        }
        long firstAttempts = Math.max(0, sent - retried);
        long allowed = Math.max(policy.minimumRetries(), (long) Math.floor(policy.ratio() * firstAttempts));
        if (retried >= allowed) {
            refused++;
            return false;
        }
        retries[bucket(now())]++;
        granted++;
        return true;
    }

    /** Retries granted since the budget was created. */
    public synchronized long granted() {
        return granted;
    }

    /** Retries refused since the budget was created. */
    public synchronized long refused() {
        return refused;
    }

    private int bucket(long nanos) {
        long index = nanos / bucketNanos;
        int i = (int) Math.floorMod(index, (long) BUCKETS);
        if (slot[i] != index) {
            slot[i] = index;
            calls[i] = 0;
            retries[i] = 0;
        }
        return i;
    }

    private long now() {
        Instant t = clock.instant();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}

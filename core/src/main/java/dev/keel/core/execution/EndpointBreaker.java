package dev.keel.core.execution;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The circuit breaker of one endpoint of one account's connection: resilience4j's state machine driven through its
 * low-level API (permission, then the outcome with a duration measured on the injected clock), with what
 * resilience4j lacks on top:
 * <ul>
 *   <li>a failure <em>count</em>: {@code failureCount} consecutive failures open a closed breaker whatever the rate;</li>
 *   <li>a <em>success threshold</em>: while half-open, the breaker closes once {@code successThreshold} trial calls
 *       succeeded and reopens once so many failed (or were slow) that the threshold cannot be reached; resilience4j
 *       would judge the trial calls by the failure rate only.</li>
 * </ul>
 * Transitions are noticed by comparing states after each step (no resilience4j event consumers, which would
 * allocate an event per call) and reported to the broker's {@link ResilienceEvents}.
 */
final class EndpointBreaker {
    private final CircuitBreaker breaker;
    /** Null for a breaker handed in whole: resilience4j's rules alone. */
    private final BreakerPolicy policy;
    private final String accountId;
    private final Endpoint endpoint;
    private final String connection;
    private final ResilienceEvents events;
    private final long slowNanos;
    private final AtomicReference<State> seen = new AtomicReference<>(State.CLOSED);
    private final AtomicInteger consecutive = new AtomicInteger();
    private int trialSuccesses;
    private int trialFailures;
    private volatile String reason;
    /** When this breaker was last seen to open, by its clock; null before it first opened. */
    private volatile java.time.Instant openedAt;

    EndpointBreaker(CircuitBreaker breaker, BreakerPolicy policy, String accountId, Endpoint endpoint,
                    String connection, ResilienceEvents events) {
        this.breaker = Objects.requireNonNull(breaker, "breaker");
        this.policy = policy;
        this.accountId = accountId;
        this.endpoint = endpoint;
        this.connection = connection;
        this.events = events;
        this.slowNanos = breaker.getCircuitBreakerConfig().getSlowCallDurationThreshold().toNanos();
        this.seen.set(breaker.getState());
    }

    CircuitBreaker circuitBreaker() {
        return breaker;
    }

    Endpoint endpoint() {
        return endpoint;
    }

    /** Asks to send one call; false when the breaker refuses it. A granted permission ends in a result or release. */
    boolean tryAcquire() {
        boolean permitted = breaker.tryAcquirePermission();
        observe();
        return permitted;
    }

    /** Gives a permission back unused: the call was not sent. */
    void release() {
        breaker.releasePermission();
    }

    /**
     * Records a call's outcome.
     *
     * @param nanos how long it took by the injected clock
     * @param error what it threw, or null when it answered
     */
    void onResult(long nanos, Throwable error) {
        boolean failure = error != null && breaker.getCircuitBreakerConfig().getRecordExceptionPredicate().test(error);
        State before = breaker.getState();
        if (policy != null && before == State.HALF_OPEN) {
            trial(failure || nanos >= slowNanos, nanos);
            observe();
            return;
        }
        if (error == null) {
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
        } else {
            breaker.onError(nanos, TimeUnit.NANOSECONDS, error);
        }
        if (policy != null && policy.failureCount() > 0 && before == State.CLOSED) {
            countConsecutive(failure);
        }
        observe();
    }

    /** The state now; an open breaker whose open period has passed becomes half-open here, as a call would see it. */
    State state() {
        if (breaker.getState() == State.OPEN && breaker.tryAcquirePermission()) {
            breaker.releasePermission();
        }
        observe();
        return breaker.getState();
    }

    boolean isOpen() {
        return breaker.getState() == State.OPEN;
    }

    /**
     * How long an open breaker still refuses calls: until the first instant it lets a trial call through (half-open),
     * which resilience4j makes the first one strictly after the open period, so a millisecond after it here. Null
     * when it is not open or when it is not known when it opened.
     */
    java.time.Duration untilHalfOpen() {
        java.time.Instant opened = openedAt;
        if (breaker.getState() != State.OPEN || opened == null) {
            return null;
        }
        var config = breaker.getCircuitBreakerConfig();
        java.time.Instant trial = opened.plusMillis(config.getWaitIntervalFunctionInOpenState().apply(1) + 1);
        java.time.Duration left = java.time.Duration.between(config.getClock().instant(), trial);
        return left.isNegative() ? java.time.Duration.ZERO : left;
    }

    private void countConsecutive(boolean failure) {
        if (!failure) {
            if (consecutive.get() != 0) {
                consecutive.set(0);
            }
            return;
        }
        int n = consecutive.incrementAndGet();
        if (n >= policy.failureCount()) {
            synchronized (this) {
                if (breaker.getState() == State.CLOSED) {
                    reason = "failure-count (" + n + " consecutive failures)";
                    breaker.transitionToOpenState();
                }
            }
        }
    }

    private synchronized void trial(boolean bad, long nanos) {
        if (breaker.getState() != State.HALF_OPEN) {
            return; // another trial call decided already
        }
        if (bad) {
            trialFailures++;
        } else {
            trialSuccesses++;
        }
        int needed = policy.successThreshold();
        int calls = policy.halfOpenCalls();
        if (trialSuccesses >= needed) {
            reason = "success-threshold (" + trialSuccesses + " of " + calls + " trial calls succeeded)";
            breaker.transitionToClosedState();
        } else if (trialFailures > calls - needed) {
            reason = "trial calls failed (" + trialFailures + " of " + calls + ", "
                    + (bad && nanos >= slowNanos ? "the last one slow" : "the last one an error") + ")";
            breaker.transitionToOpenState();
        }
    }

    /** Reports a transition since the last look, once. */
    private void observe() {
        State now = breaker.getState();
        if (seen.get() == now) {
            return;
        }
        State before = seen.getAndSet(now);
        if (before == now) {
            return;
        }
        synchronized (this) {
            if (now == State.HALF_OPEN) {
                trialSuccesses = 0;
                trialFailures = 0;
            }
        }
        if (now == State.CLOSED) {
            consecutive.set(0);
        }
        if (now == State.OPEN) {
            openedAt = breaker.getCircuitBreakerConfig().getClock().instant();
        }
        String why = reason;
        reason = null;
        CircuitBreaker.Metrics m = breaker.getMetrics();
        if (events != null) {
            events.transitioned(accountId, endpoint, connection, before.name(), now.name(),
                    why != null ? why : derivedReason(before, now, m), m.getFailureRate(), m.getSlowCallRate());
        }
    }

    private String derivedReason(State from, State to, CircuitBreaker.Metrics m) {
        if (to == State.OPEN && from == State.CLOSED) {
            float failureThreshold = breaker.getCircuitBreakerConfig().getFailureRateThreshold();
            return m.getFailureRate() >= failureThreshold ? "failure-rate" : "slow-call-rate";
        }
        if (to == State.HALF_OPEN) {
            return "open-for elapsed";
        }
        if (to == State.CLOSED) {
            return "trial calls succeeded";
        }
        return to == State.OPEN ? "trial call failed" : "forced";
    }

    @Override
    public String toString() {
        return breaker.getName() + " " + breaker.getState();
    }
}

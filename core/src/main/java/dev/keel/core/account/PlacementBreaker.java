package dev.keel.core.account;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.Objects;

/**
 * The circuit breaker on the broker's order-placement (submit) endpoint, as the trading states see it: open moves an
 * account to REDUCING. The hook for per-endpoint breakers: point it at the submit endpoint's breaker.
 */
@FunctionalInterface
public interface PlacementBreaker {
    /** A breaker that is never open, for accounts wired without one. */
    PlacementBreaker NONE = () -> CircuitBreaker.State.CLOSED;

    /** The breaker's state now. */
    CircuitBreaker.State state();

    /** How the operator knows the breaker: its name. */
    default String name() {
        return "order placement";
    }

    /** Whether no call may pass: OPEN or FORCED_OPEN. */
    default boolean open() {
        CircuitBreaker.State s = state();
        return s == CircuitBreaker.State.OPEN || s == CircuitBreaker.State.FORCED_OPEN;
    }

    /**
     * A resilience4j breaker. An OPEN breaker only moves to HALF_OPEN when a call asks for a permit after its wait,
     * so reading the state alone would keep it OPEN for ever once nothing calls through it; {@link #state()} asks for
     * a permit and gives it straight back, which lets the breaker move on by its own (injected) clock.
     */
    static PlacementBreaker of(CircuitBreaker breaker) {
        Objects.requireNonNull(breaker, "breaker");
        return new PlacementBreaker() {
            @Override
            public CircuitBreaker.State state() {
                if (breaker.getState() == CircuitBreaker.State.OPEN && breaker.tryAcquirePermission()) {
                    breaker.releasePermission();
                }
                return breaker.getState();
            }

            @Override
            public String name() {
                return breaker.getName();
            }
        };
    }
}

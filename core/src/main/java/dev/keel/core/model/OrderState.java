package dev.keel.core.model;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The lifecycle of one order intent, as Keel knows it. Legal transitions are data: {@link #canMoveTo}.
 *
 * <p>{@link #UNKNOWN} is a state, not a failure (law 3): the request may or may not have created the order, and
 * only a lookup by client order id may move it on. {@code UNKNOWN -> INTENDED} records that the broker answered
 * "not found" after its visibility grace period, so the same client order id may be submitted again.
 */
public enum OrderState {
    /** Durable in the journal; not (yet) known to the broker. */
    INTENDED,
    /** The request's outcome is unknown; resolve by lookup. */
    UNKNOWN,
    /** Accepted and working at the broker. */
    ACCEPTED,
    PARTIALLY_FILLED,
    FILLED,
    CANCELLED,
    EXPIRED,
    /** The broker refused the order. */
    REJECTED,
    /** Keel gave up before the broker accepted it (retries exhausted on a definite non-acceptance). */
    FAILED;

    private static final Map<OrderState, Set<OrderState>> LEGAL = Map.of(
            INTENDED, EnumSet.of(UNKNOWN, ACCEPTED, PARTIALLY_FILLED, FILLED, CANCELLED, EXPIRED, REJECTED, FAILED),
            UNKNOWN, EnumSet.of(INTENDED, ACCEPTED, PARTIALLY_FILLED, FILLED, CANCELLED, EXPIRED, REJECTED, FAILED),
            ACCEPTED, EnumSet.of(PARTIALLY_FILLED, FILLED, CANCELLED, EXPIRED, REJECTED),
            PARTIALLY_FILLED, EnumSet.of(PARTIALLY_FILLED, FILLED, CANCELLED, EXPIRED),
            FILLED, EnumSet.noneOf(OrderState.class),
            CANCELLED, EnumSet.noneOf(OrderState.class),
            EXPIRED, EnumSet.noneOf(OrderState.class),
            REJECTED, EnumSet.noneOf(OrderState.class),
            FAILED, EnumSet.noneOf(OrderState.class));

    public boolean canMoveTo(OrderState next) {
        return LEGAL.get(this).contains(next);
    }

    /**
     * Returns {@code next} if {@code this -> next} is legal or a repeat of the same state (a duplicated report),
     * and throws {@link IllegalStateTransitionException} otherwise.
     */
    public OrderState moveTo(OrderState next) {
        if (next == this || canMoveTo(next)) {
            return next;
        }
        throw new IllegalStateTransitionException("order", name(), next.name());
    }

    public boolean isTerminal() {
        return LEGAL.get(this).isEmpty();
    }

    /** Working at the broker: may still fill. */
    public boolean isLive() {
        return this == ACCEPTED || this == PARTIALLY_FILLED;
    }
}

package dev.keel.core.execution;

import dev.keel.core.broker.Delivery;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.journal.OrderAttemptFailed;
import dev.keel.core.journal.OrderFailed;
import dev.keel.core.journal.OrderIntentRecorded;
import dev.keel.core.journal.OrderLookedUp;
import dev.keel.core.journal.OrderUpdated;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderState;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One order intent as folded from its journal events. Immutable: {@code apply} returns the next track, and an
 * illegal move of the order lifecycle throws.
 *
 * @param submits        submit requests sent (a lookup that adopts an order is not one)
 * @param failedAttempts submits that did not return an order
 * @param lastAttemptAt  when the last submit attempt failed, for the visibility grace period; null if none did
 * @param acceptedAt     when the broker was first seen to hold the order; null before
 * @param lookupErrors   lookups that failed (they say nothing about the order: law 4)
 * @param heldByBroker   the broker answered a submit with DUPLICATE_CLIENT_ORDER_ID: it holds an order under this id,
 *                       so a lookup's "not found", even after the grace period, does not prove it absent
 */
public record OrderTrack(String leg, String clientOrderId, OrderSpec spec, OrderState state, String brokerOrderId,
                         int submits, int failedAttempts, Instant lastAttemptAt, Instant acceptedAt, BigDecimal filledQuantity,
                         BigDecimal filledAvgPrice, ErrorCode lastError, String lastMessage, int lookupErrors,
                         boolean heldByBroker) {

    /** A track the broker has not answered DUPLICATE for (benchmarks build these). */
    public OrderTrack(String leg, String clientOrderId, OrderSpec spec, OrderState state, String brokerOrderId,
                      int submits, int failedAttempts, Instant lastAttemptAt, Instant acceptedAt,
                      BigDecimal filledQuantity, BigDecimal filledAvgPrice, ErrorCode lastError, String lastMessage,
                      int lookupErrors) {
        this(leg, clientOrderId, spec, state, brokerOrderId, submits, failedAttempts, lastAttemptAt, acceptedAt,
                filledQuantity, filledAvgPrice, lastError, lastMessage, lookupErrors, false);
    }

    static OrderTrack of(OrderIntentRecorded e) {
        return new OrderTrack(e.leg(), e.clientOrderId(), e.spec(), OrderState.INTENDED, null, 0, 0, null, null,
                BigDecimal.ZERO, null, null, null, 0, false);
    }

    OrderTrack apply(OrderAttemptFailed e) {
        boolean duplicate = e.code() == ErrorCode.DUPLICATE_CLIENT_ORDER_ID;
        boolean unknown = e.delivery() == Delivery.AMBIGUOUS || duplicate;
        OrderState next = unknown ? state.moveTo(OrderState.UNKNOWN) : state;
        return new OrderTrack(leg, clientOrderId, spec, next, brokerOrderId, submits + 1,
                Math.max(failedAttempts, e.attempt()),
                e.at(), acceptedAt, filledQuantity, filledAvgPrice, e.code(), e.message(), lookupErrors,
                heldByBroker || duplicate);
    }

    OrderTrack apply(OrderLookedUp e) {
        return switch (e.outcome()) {
            case FOUND -> this;
            // the broker's DUPLICATE outranks its lagging index: an order it said it holds is never proven absent
            case NOT_FOUND -> e.afterGrace() && state == OrderState.UNKNOWN && !heldByBroker
                    ? withState(OrderState.INTENDED)
                    : this;
            case ERROR -> new OrderTrack(leg, clientOrderId, spec, state, brokerOrderId, submits, failedAttempts,
                    lastAttemptAt, acceptedAt, filledQuantity, filledAvgPrice, e.errorCode(), lastMessage,
                    lookupErrors + 1, heldByBroker);
        };
    }

    OrderTrack apply(OrderUpdated e) {
        // An update straight out of INTENDED is the answer to a submit; out of UNKNOWN it is a lookup's adoption.
        int sent = state == OrderState.INTENDED ? submits + 1 : submits;
        return new OrderTrack(leg, clientOrderId, spec, state.moveTo(e.state()), e.brokerOrderId(), sent,
                failedAttempts,
                lastAttemptAt, acceptedAt == null ? e.at() : acceptedAt, e.filledQuantity(), e.filledAvgPrice(),
                lastError, lastMessage, lookupErrors, heldByBroker);
    }

    OrderTrack apply(OrderFailed e) {
        return new OrderTrack(leg, clientOrderId, spec, state.moveTo(e.state()), brokerOrderId, submits, failedAttempts,
                lastAttemptAt, acceptedAt, filledQuantity, filledAvgPrice, e.code(), e.message(), lookupErrors,
                heldByBroker);
    }

    /**
     * The transaction was resumed after a crash: an order still INTENDED may have left for the broker in the instant
     * before it (its answer lost with the process), so it is UNKNOWN until a lookup finds it or proves it absent after
     * the grace, counted from the resumption (law 3). A resubmit would otherwise trust the broker to refuse the id
     * twice; one that refused the repeat for another reason hid an order that had filled (soak seed 1069815).
     */
    OrderTrack resumedAt(Instant at) {
        if (state != OrderState.INTENDED) {
            return this;
        }
        return new OrderTrack(leg, clientOrderId, spec, OrderState.UNKNOWN, brokerOrderId, submits, failedAttempts,
                at, acceptedAt, filledQuantity, filledAvgPrice, lastError, lastMessage, lookupErrors, heldByBroker);
    }

    private OrderTrack withState(OrderState next) {
        return new OrderTrack(leg, clientOrderId, spec, state.moveTo(next), brokerOrderId, submits, failedAttempts,
                lastAttemptAt, acceptedAt, filledQuantity, filledAvgPrice, lastError, lastMessage, lookupErrors,
                heldByBroker);
    }

    /** Submits after the first. */
    public int retryCount() {
        return Math.max(0, submits - 1);
    }

    /** Cash value filled: quantity times average price. */
    public BigDecimal filledNotional() {
        return filledAvgPrice == null ? BigDecimal.ZERO
                : dev.keel.core.model.Money.cash(filledQuantity.multiply(filledAvgPrice));
    }
}

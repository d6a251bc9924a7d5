package dev.keel.core.execution;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import java.math.BigDecimal;

/**
 * The outcome of one order, as a value: the executor never throws for a business outcome.
 *
 * @param amountUsd      the planned cash amount
 * @param filledNotional the cash amount that actually filled
 * @param retryCount     submits after the first
 */
public record OrderResult(String leg, String clientOrderId, String brokerOrderId, Symbol symbol, Side side,
                          BigDecimal amountUsd, Status status, OrderState orderState, BigDecimal filledQuantity,
                          BigDecimal filledNotional, ErrorCode errorCode, String errorMessage, int retryCount) {

    /** What happened to the order. */
    public enum Status {
        /** Filled completely. */
        SUCCESS,
        /** Filled in part, the rest cancelled or expired. */
        PARTIAL,
        /** Nothing filled: rejected, given up, or cancelled unfilled. */
        FAILED,
        /** Not sent: below minimum, no trusted price, or not needed. */
        SKIPPED,
        /** Outcome unresolved, or still working at the broker: needs reconciliation (law 3). */
        UNKNOWN
    }

    public static OrderResult of(OrderTrack t, BigDecimal amountUsd) {
        Status status = switch (t.state()) {
            case FILLED -> Status.SUCCESS;
            case CANCELLED, EXPIRED -> t.filledQuantity().signum() > 0 ? Status.PARTIAL : Status.FAILED;
            case REJECTED, FAILED -> Status.FAILED;
            case INTENDED, UNKNOWN, ACCEPTED, PARTIALLY_FILLED -> Status.UNKNOWN;
        };
        ErrorCode code = t.state() == OrderState.FILLED ? null : t.lastError();
        String message = t.state() == OrderState.FILLED ? null : t.lastMessage();
        if (status == Status.UNKNOWN && code == null) {
            code = t.state().isLive() ? ErrorCode.ORDER_NOT_FILLED : ErrorCode.ORDER_OUTCOME_UNKNOWN;
        }
        if ((status == Status.FAILED || status == Status.PARTIAL) && code == null) {
            code = ErrorCode.ORDER_NOT_FILLED;
        }
        return new OrderResult(t.leg(), t.clientOrderId(), t.brokerOrderId(), t.spec().symbol(), t.spec().side(),
                amountUsd, status, t.state(), t.filledQuantity(), t.filledNotional(), code, message,
                t.retryCount());
    }

    public static OrderResult skipped(String leg, Symbol symbol, Side side, BigDecimal amountUsd, ErrorCode code,
                                      String message) {
        return new OrderResult(leg, null, null, symbol, side, amountUsd, Status.SKIPPED, null, BigDecimal.ZERO,
                BigDecimal.ZERO, code, message, 0);
    }
}

package dev.keel.core.execution;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.model.OrderOutcome;
import dev.keel.core.model.OrderState;
import java.math.BigDecimal;

/**
 * What a cancel came to, as a value.
 *
 * @param state          the order's state in the journal afterwards
 * @param filledQuantity what had filled by then
 * @param code           why the order may still be working, or null
 * @param attempts       cancel requests sent
 */
public record CancelResult(String clientOrderId, String brokerOrderId, OrderOutcome outcome, OrderState state,
                           BigDecimal filledQuantity, ErrorCode code, String message, int attempts) {

    static CancelResult of(OrderTrack t, OrderOutcome outcome, ErrorCode code, String message, int attempts) {
        return new CancelResult(t.clientOrderId(), t.brokerOrderId(), outcome, t.state(), t.filledQuantity(), code,
                message, attempts);
    }

    /** True when nothing more of the order can fill. */
    public boolean settled() {
        return state.isTerminal();
    }
}

package dev.keel.core.journal;

import dev.keel.core.model.OrderState;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * The broker's view of an order: accepted, filled, partially filled, cancelled, expired.
 *
 * @param filledQuantity cumulative, not incremental: a duplicated or late report is harmless
 */
public record OrderUpdated(String txId, String accountId, String clientOrderId, String brokerOrderId,
                           OrderState state, BigDecimal filledQuantity, BigDecimal filledAvgPrice, Instant at)
        implements OrderEvent {
}

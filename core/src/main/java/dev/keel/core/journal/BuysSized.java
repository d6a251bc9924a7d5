package dev.keel.core.journal;

import dev.keel.core.model.PlannedOrder;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The sells have settled or failed, and the buys were sized on the cash actually available (law 5).
 *
 * @param cashAvailable the broker's cash after the sells, less the cash buffer
 * @param scale         1 when every planned buy fits, below 1 when they were scaled down proportionally
 * @param buys          the buys as they will be sent
 */
public record BuysSized(String txId, String accountId, BigDecimal cashAvailable, BigDecimal scale,
                        List<PlannedOrder> buys, Instant at) implements TransactionEvent {
    public BuysSized {
        buys = List.copyOf(buys);
    }
}

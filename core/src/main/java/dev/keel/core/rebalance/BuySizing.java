package dev.keel.core.rebalance;

import dev.keel.core.model.PlannedOrder;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * The buys of a plan sized on the cash actually available after the sells (law 5).
 *
 * @param cashAvailable what the buys may spend
 * @param scale         1 when every planned buy fits; below 1 when all were scaled down by this factor
 * @param buys          the buys to send, each rounded down to cents
 * @param dropped       buys that fell below the minimum trade once scaled
 */
public record BuySizing(BigDecimal cashAvailable, BigDecimal scale, List<PlannedOrder> buys, List<Skipped> dropped) {
    public BuySizing {
        Objects.requireNonNull(cashAvailable, "cashAvailable");
        Objects.requireNonNull(scale, "scale");
        buys = List.copyOf(buys);
        dropped = List.copyOf(dropped);
    }

    /** What the buys spend in total; never more than {@link #cashAvailable}. */
    public BigDecimal total() {
        return RebalancePlan.sum(buys);
    }

    public boolean scaledDown() {
        return scale.compareTo(BigDecimal.ONE) < 0;
    }
}

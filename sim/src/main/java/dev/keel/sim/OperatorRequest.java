package dev.keel.sim;

import dev.keel.core.model.OperationParams;
import dev.keel.core.model.OperationType;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderType;
import dev.keel.core.model.Side;
import dev.keel.core.model.TimeInForce;
import dev.keel.paper.ExchangeOrderLogEntry;
import dev.keel.paper.PaperExchange;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.function.Consumer;

/**
 * What an operator types for an order operation step, its prices set from the exchange's mid at this moment (an
 * operator looks at the market before placing a bracket).
 */
record OperatorRequest(OperationType type, OperationParams params) {

    /**
     * The request for {@code step} now, or null when there is nothing to ask for (nothing held for an OCO pair, no
     * working order to modify); {@code note} hears why.
     */
    static OperatorRequest of(Scenario.OperationStep step, PaperExchange x, Consumer<String> note) {
        OperationType type;
        OperationParams params;
        switch (step) {
            case Scenario.Bracket b -> {
                BigDecimal mid = x.price(b.symbol());
                BigDecimal stop = cents(mid, b.stopOffset().negate());
                type = OperationType.BRACKET_ORDER;
                params = OperationParams.bracket(b.symbol(), b.quantity(), b.entryOffset() == null ? null
                        : cents(mid, b.entryOffset()), stop, b.stopLimitOffset() == null ? null
                        : cents(stop, b.stopLimitOffset().negate()), cents(mid, b.targetOffset()));
                if (b.quantity().stripTrailingZeros().scale() > 0) {
                    params = params.withTimeInForce(TimeInForce.DAY); // fractional: day orders only, protection too
                }
            }
            case Scenario.Oco o -> {
                BigDecimal held = x.accountSnapshot(o.accountId()).quantity(o.symbol());
                // whole shares: protection rests GTC, and brokers take fractional quantities as day orders only
                BigDecimal quantity = held.multiply(o.fraction()).setScale(0, RoundingMode.DOWN);
                if (quantity.signum() <= 0) {
                    note.accept("no OCO pair: " + o.accountId() + " holds " + held + " "
                            + o.symbol());
                    return null;
                }
                BigDecimal mid = x.price(o.symbol());
                BigDecimal stop = cents(mid, o.stopOffset().negate());
                type = OperationType.OCO_PAIR;
                params = OperationParams.oco(o.symbol(), quantity, stop, o.stopLimitOffset() == null ? null
                        : cents(stop, o.stopLimitOffset().negate()), cents(mid, o.targetOffset()));
            }
            case Scenario.Modify m -> {
                List<ExchangeOrderLogEntry> working = x.orderLog().stream()
                        .filter(e -> e.accountId().equals(m.accountId()) && e.state().isLive())
                        .sorted(java.util.Comparator.comparing(ExchangeOrderLogEntry::clientOrderId)).toList();
                if (working.isEmpty()) {
                    note.accept("nothing to modify on " + m.accountId());
                    return null;
                }
                ExchangeOrderLogEntry order = working.get(m.pick() % working.size());
                OrderSpec spec = order.spec();
                BigDecimal mid = x.price(spec.symbol());
                BigDecimal below = m.priceOffset().negate();
                BigDecimal newStop = spec.stopPrice() == null ? null : cents(mid, below);
                BigDecimal newLimit = spec.limitPrice() == null ? null : spec.type() == OrderType.STOP_LIMIT
                        ? cents(newStop, new BigDecimal("-0.01"))
                        : cents(mid, spec.side() == Side.BUY ? below : m.priceOffset());
                BigDecimal newQuantity = m.quantityFactor() == null || spec.quantity() == null ? null : spec.quantity()
                        .multiply(m.quantityFactor()).setScale(3, RoundingMode.DOWN).stripTrailingZeros();
                type = OperationType.ORDER_MODIFICATION;
                params = OperationParams.modify(order.clientOrderId(), newQuantity, newLimit, newStop);
            }
            case Scenario.Close c -> {
                type = OperationType.POSITION_CLOSE;
                params = OperationParams.close(c.symbol(), null);
            }
            case Scenario.CancelAll c -> {
                type = OperationType.BULK_CANCEL;
                params = OperationParams.cancelAll(null);
            }
        }
        return new OperatorRequest(type, params);
    }

    /** {@code mid * (1 + offset)} to the cent, as an operator types a price. */
    private static BigDecimal cents(BigDecimal mid, BigDecimal offset) {
        return mid.multiply(BigDecimal.ONE.add(offset)).setScale(2, RoundingMode.HALF_EVEN);
    }
}

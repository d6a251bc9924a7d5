package dev.keel.scenarios;

import dev.keel.core.broker.Broker;
import dev.keel.core.broker.ForwardingBroker;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderState;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * A broker that reports one order's fills in steps, as a real venue reports an order filled in parts: its n-th report
 * (the submit's answer is the first) shows at most {@code steps[n-1]} shares filled, PARTIALLY_FILLED until the whole
 * fill is shown. The paper exchange matches an order once, so the shares are held at the exchange from the start:
 * Keel only learns of them part by part.
 */
final class SteppedFills extends ForwardingBroker {
    private final String clientOrderIdSuffix;
    private final List<BigDecimal> steps;
    private int reports;

    SteppedFills(Broker delegate, String clientOrderIdSuffix, List<BigDecimal> steps) {
        super(delegate);
        this.clientOrderIdSuffix = clientOrderIdSuffix;
        this.steps = steps;
    }

    private BrokerOrder stepped(BrokerOrder o) {
        if (!o.clientOrderId().endsWith(clientOrderIdSuffix) || reports >= steps.size()) {
            return o;
        }
        BigDecimal shown = steps.get(reports++).min(o.filledQuantity());
        if (shown.compareTo(o.filledQuantity()) >= 0) {
            return o;
        }
        return new BrokerOrder(o.brokerOrderId(), o.clientOrderId(), o.spec(),
                shown.signum() == 0 ? OrderState.ACCEPTED : OrderState.PARTIALLY_FILLED, shown,
                shown.signum() == 0 ? null : o.filledAvgPrice(), o.createdAt(), o.updatedAt());
    }

    @Override
    public BrokerOrder submit(String clientOrderId, OrderSpec spec) {
        return stepped(delegate().submit(clientOrderId, spec));
    }

    @Override
    public Optional<BrokerOrder> orderByClientId(String clientOrderId) {
        return delegate().orderByClientId(clientOrderId).map(this::stepped);
    }
}

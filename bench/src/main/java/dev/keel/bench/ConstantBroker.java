package dev.keel.bench;

import dev.keel.core.broker.Broker;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.MarketClock;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.Position;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Symbol;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/** A broker that answers instantly with prepared values: what is left to measure is Keel's own wrapping. */
final class ConstantBroker implements Broker {
    private final BrokerOrder order;
    private final Quote quote;

    ConstantBroker() {
        OrderSpec spec = OrderSpec.marketNotional(Symbol.of("VTI"), dev.keel.core.model.Side.BUY,
                new BigDecimal("1234.56"));
        this.order = new BrokerOrder("b-1", "tx-1:buy-VTI", spec, OrderState.FILLED, new BigDecimal("4.9"),
                new BigDecimal("251.95"), Samples.T0, Samples.T0);
        this.quote = new Quote(Symbol.of("VTI"), new BigDecimal("251.90"), new BigDecimal("252.00"), Samples.T0);
    }

    OrderSpec spec() {
        return order.spec();
    }

    @Override
    public String name() {
        return "constant";
    }

    @Override
    public AccountSnapshot account() {
        return new AccountSnapshot("bench", BigDecimal.TEN, BigDecimal.TEN, List.<Position>of(), Samples.T0);
    }

    @Override
    public List<Position> positions() {
        return List.of();
    }

    @Override
    public List<BrokerOrder> openOrders() {
        return List.of();
    }

    @Override
    public BrokerOrder submit(String clientOrderId, OrderSpec spec) {
        return order;
    }

    @Override
    public Optional<BrokerOrder> orderByClientId(String clientOrderId) {
        return Optional.of(order);
    }

    @Override
    public BrokerOrder cancel(String brokerOrderId) {
        return order;
    }

    @Override
    public Quote quote(Symbol symbol) {
        return quote;
    }

    @Override
    public MarketClock clock() {
        return new MarketClock(Samples.T0, true, Samples.T0, Samples.T0);
    }
}

package dev.keel.core.broker;

import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.MarketClock;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.Position;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Symbol;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A broker that passes every call to another: extend it and override the calls to watch, delay or change, e.g. to
 * rehearse a crash at a chosen call. Every method of {@link Broker}, order classes included, is forwarded, so a
 * wrapper never silently falls back to a default.
 */
public abstract class ForwardingBroker implements Broker {
    private final Broker delegate;

    protected ForwardingBroker(Broker delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    protected Broker delegate() {
        return delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public AccountSnapshot account() {
        return delegate.account();
    }

    @Override
    public List<Position> positions() {
        return delegate.positions();
    }

    @Override
    public List<BrokerOrder> openOrders() {
        return delegate.openOrders();
    }

    @Override
    public List<BrokerOrder> orders(OrderQuery query) {
        return delegate.orders(query);
    }

    @Override
    public BrokerOrder submit(String clientOrderId, OrderSpec spec) {
        return delegate.submit(clientOrderId, spec);
    }

    @Override
    public Optional<BrokerOrder> orderByClientId(String clientOrderId) {
        return delegate.orderByClientId(clientOrderId);
    }

    @Override
    public BrokerOrder cancel(String brokerOrderId) {
        return delegate.cancel(brokerOrderId);
    }

    @Override
    public boolean holdsOrderClasses() {
        return delegate.holdsOrderClasses();
    }

    @Override
    public BrokerOrder submitOco(String clientOrderId, OrderSpec takeProfitLimit, OrderSpec stopLoss) {
        return delegate.submitOco(clientOrderId, takeProfitLimit, stopLoss);
    }

    @Override
    public BrokerOrder submitBracket(String clientOrderId, OrderSpec entry, BigDecimal takeProfitLimit,
                                     BigDecimal stopLossStop, BigDecimal stopLossLimit) {
        return delegate.submitBracket(clientOrderId, entry, takeProfitLimit, stopLossStop, stopLossLimit);
    }

    @Override
    public Quote quote(Symbol symbol) {
        return delegate.quote(symbol);
    }

    @Override
    public MarketClock clock() {
        return delegate.clock();
    }
}

package dev.keel.scenarios;

import dev.keel.core.broker.Broker;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.MarketClock;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.Position;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Symbol;
import java.util.List;
import java.util.Optional;

/**
 * The engine process dies right after the exchange accepted its {@code crashAfterSubmit}-th submit: the order
 * exists, and the engine never learned of it. Everything the engine held in memory is lost with it.
 */
final class CrashingBroker implements Broker {
    /** The process died. An Error, so no catch for exceptions in the engine can swallow it. */
    static final class Crash extends Error {
        private static final long serialVersionUID = 1L;

        Crash(String where) {
            super("simulated crash " + where);
        }
    }

    private final Broker delegate;
    private final int crashAfterSubmit;
    private final boolean bug;
    private int submits;

    CrashingBroker(Broker delegate, int crashAfterSubmit) {
        this(delegate, crashAfterSubmit, false);
    }

    /** With {@code bug}, the call fails with an unexpected runtime exception instead: a bug, not a dying process. */
    CrashingBroker(Broker delegate, int crashAfterSubmit, boolean bug) {
        this.delegate = delegate;
        this.crashAfterSubmit = crashAfterSubmit;
        this.bug = bug;
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
    public BrokerOrder submit(String clientOrderId, OrderSpec spec) {
        BrokerOrder order = delegate.submit(clientOrderId, spec);
        if (++submits == crashAfterSubmit) {
            if (bug) {
                throw new IllegalStateException("unexpected answer to submit " + submits);
            }
            throw new Crash("after submit " + submits + " (" + clientOrderId + ") was accepted");
        }
        return order;
    }

    @Override
    public boolean holdsOrderClasses() {
        return delegate.holdsOrderClasses();
    }

    @Override
    public BrokerOrder submitOco(String clientOrderId, OrderSpec takeProfitLimit, OrderSpec stopLoss) {
        BrokerOrder order = delegate.submitOco(clientOrderId, takeProfitLimit, stopLoss);
        if (++submits == crashAfterSubmit) {
            throw new Crash("after OCO submit " + submits + " (" + clientOrderId + ") was accepted");
        }
        return order;
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
    public Quote quote(Symbol symbol) {
        return delegate.quote(symbol);
    }

    @Override
    public MarketClock clock() {
        return delegate.clock();
    }
}

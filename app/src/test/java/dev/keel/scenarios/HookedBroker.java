package dev.keel.scenarios;

import dev.keel.core.broker.Broker;
import dev.keel.core.broker.ForwardingBroker;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.OrderSpec;
import java.util.function.Consumer;

/**
 * The exchange's broker view with a hook run just before each cancel request leaves: the test moves the market
 * there, so a fill lands between the engine's read of an order and its cancel.
 */
final class HookedBroker extends ForwardingBroker {
    private final Consumer<String> beforeCancel;
    private final Consumer<String> beforeSubmit;
    private Runnable beforeAccount = () -> { };

    /** @param beforeCancel called with the broker order id of each cancel, before it is sent */
    HookedBroker(Broker delegate, Consumer<String> beforeCancel) {
        this(delegate, beforeCancel, cid -> { });
    }

    /** @param beforeSubmit called with the client order id of each submit (an OCO pair's: its take-profit's) */
    HookedBroker(Broker delegate, Consumer<String> beforeCancel, Consumer<String> beforeSubmit) {
        super(delegate);
        this.beforeCancel = beforeCancel;
        this.beforeSubmit = beforeSubmit;
    }

    /** Runs {@code hook} just before each read of the account leaves: a fill can land between a sync and the read. */
    HookedBroker beforeAccount(Runnable hook) {
        this.beforeAccount = hook;
        return this;
    }

    @Override
    public AccountSnapshot account() {
        beforeAccount.run();
        return delegate().account();
    }

    @Override
    public BrokerOrder submit(String clientOrderId, OrderSpec spec) {
        beforeSubmit.accept(clientOrderId);
        return delegate().submit(clientOrderId, spec);
    }

    @Override
    public BrokerOrder submitOco(String clientOrderId, OrderSpec takeProfitLimit, OrderSpec stopLoss) {
        beforeSubmit.accept(clientOrderId);
        return delegate().submitOco(clientOrderId, takeProfitLimit, stopLoss);
    }

    @Override
    public BrokerOrder cancel(String brokerOrderId) {
        beforeCancel.accept(brokerOrderId);
        return delegate().cancel(brokerOrderId);
    }
}

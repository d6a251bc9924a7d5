package dev.keel.scenarios;

import dev.keel.core.broker.Broker;
import dev.keel.core.broker.ForwardingBroker;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.OrderSpec;

/**
 * The engine process dies right after the exchange accepted its {@code crashAfterSubmit}-th submit: the order
 * exists, and the engine never learned of it. Everything the engine held in memory is lost with it.
 */
final class CrashingBroker extends ForwardingBroker {
    /** The process died. An Error, so no catch for exceptions in the engine can swallow it. */
    static final class Crash extends Error {
        private static final long serialVersionUID = 1L;

        Crash(String where) {
            super("simulated crash " + where);
        }
    }

    private final int crashAfterSubmit;
    private final boolean bug;
    private int submits;

    CrashingBroker(Broker delegate, int crashAfterSubmit) {
        this(delegate, crashAfterSubmit, false);
    }

    /** With {@code bug}, the call fails with an unexpected runtime exception instead: a bug, not a dying process. */
    CrashingBroker(Broker delegate, int crashAfterSubmit, boolean bug) {
        super(delegate);
        this.crashAfterSubmit = crashAfterSubmit;
        this.bug = bug;
    }

    @Override
    public BrokerOrder submit(String clientOrderId, OrderSpec spec) {
        BrokerOrder order = delegate().submit(clientOrderId, spec);
        if (++submits == crashAfterSubmit) {
            if (bug) {
                throw new IllegalStateException("unexpected answer to submit " + submits);
            }
            throw new Crash("after submit " + submits + " (" + clientOrderId + ") was accepted");
        }
        return order;
    }

    @Override
    public BrokerOrder submitOco(String clientOrderId, OrderSpec takeProfitLimit, OrderSpec stopLoss) {
        BrokerOrder order = delegate().submitOco(clientOrderId, takeProfitLimit, stopLoss);
        if (++submits == crashAfterSubmit) {
            throw new Crash("after OCO submit " + submits + " (" + clientOrderId + ") was accepted");
        }
        return order;
    }
}

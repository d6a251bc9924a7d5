package dev.keel.scenarios;

import dev.keel.core.broker.Broker;

/** The broker contract over the paper exchange in process: Keel calls it directly. */
class PaperBrokerContractTest extends BrokerContractTest {
    @Override
    Broker broker(Harness h) {
        return h.exchange.broker(Harness.ACCOUNT);
    }

    @Override
    void stopBroker() {
        // nothing started: the harness closes the exchange
    }
}

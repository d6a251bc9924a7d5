package dev.keel.alpaca;

import dev.keel.core.model.BrokerOrder;
import java.util.List;

/**
 * An order as Alpaca sent it, decoded: Keel's view of it, its order class, and its legs (an OCO's stop-loss, a
 * bracket's take-profit and stop-loss), each with the client id Alpaca gave it.
 *
 * @param order      Keel's view; its client id is the one Alpaca holds
 * @param orderClass Alpaca's {@code order_class}: simple, oco, bracket, oto ("" read as simple)
 * @param legs       the legs Alpaca nested in it, empty when none
 */
record AlpacaOrder(BrokerOrder order, String orderClass, List<AlpacaOrder> legs) {
    AlpacaOrder {
        legs = List.copyOf(legs);
    }

    String id() {
        return order.brokerOrderId();
    }
}

package dev.keel.paper;

import static dev.keel.paper.Fixtures.VTI;
import static dev.keel.paper.Fixtures.buy;
import static dev.keel.paper.Fixtures.dec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.broker.Broker;
import dev.keel.core.broker.OrderQuery;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.Side;
import dev.keel.core.model.TimeInForce;
import dev.keel.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OrderQueryTest {
    private final ManualClock clock = Fixtures.clock();
    private final PaperExchange exchange = Fixtures.exchange(Fixtures.config().build(), clock);
    private final Broker broker = exchange.broker("acct");

    private static OrderSpec restingBuy() {
        return OrderSpec.limit(VTI, Side.BUY, dec("1"), dec("200"), TimeInForce.GTC);
    }

    @Test
    void closedOrdersAreListedBesideOpenOnesOldestFirst() {
        broker.submit("filled", buy(VTI, "1"));
        clock.advance(Duration.ofSeconds(1));
        broker.submit("resting", restingBuy());
        clock.advance(Duration.ofSeconds(1));
        BrokerOrder cancelled = broker.submit("cancelled", restingBuy());
        broker.cancel(cancelled.brokerOrderId());

        assertThat(broker.orders(OrderQuery.open())).extracting(BrokerOrder::clientOrderId).containsExactly("resting");
        assertThat(broker.orders(new OrderQuery(OrderQuery.Status.CLOSED, null, 50)))
                .extracting(BrokerOrder::clientOrderId).containsExactly("filled", "cancelled");
        assertThat(broker.orders(new OrderQuery(OrderQuery.Status.ALL, null, 50)))
                .extracting(BrokerOrder::clientOrderId).containsExactly("filled", "resting", "cancelled");
    }

    @Test
    void afterIsExclusiveAndLimitKeepsTheOldest() {
        Instant first = clock.instant();
        broker.submit("a", buy(VTI, "1"));
        clock.advance(Duration.ofSeconds(1));
        broker.submit("b", buy(VTI, "1"));
        clock.advance(Duration.ofSeconds(1));
        broker.submit("c", buy(VTI, "1"));

        assertThat(broker.orders(new OrderQuery(OrderQuery.Status.ALL, first, 50)))
                .extracting(BrokerOrder::clientOrderId).containsExactly("b", "c");
        assertThat(broker.orders(new OrderQuery(OrderQuery.Status.ALL, null, 2)))
                .extracting(BrokerOrder::clientOrderId).containsExactly("a", "b");
    }

    @Test
    void anotherAccountsOrdersAreNotListed() {
        exchange.broker("other").submit("theirs", buy(VTI, "1"));

        assertThat(broker.orders(new OrderQuery(OrderQuery.Status.ALL, null, 50))).isEmpty();
    }
}

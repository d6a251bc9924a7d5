package dev.keel.core.broker;

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
 * A connection to one broker account. Every method may throw {@link BrokerException}; no method retries.
 * Resilience (breaker, retry, lookup on UNKNOWN) is the caller's concern: {@code dev.keel.core.execution}.
 */
public interface Broker {
    /** A short name for logs and metrics, e.g. {@code paper} or {@code alpaca}. */
    String name();

    AccountSnapshot account();

    List<Position> positions();

    /** Orders that may still fill. */
    List<BrokerOrder> openOrders();

    /**
     * Places an order. A broker must refuse a second order with the same {@code clientOrderId}
     * ({@link dev.keel.core.error.ErrorCode#DUPLICATE_CLIENT_ORDER_ID}).
     */
    BrokerOrder submit(String clientOrderId, OrderSpec spec);

    /**
     * Looks an order up by Keel's id. Empty means the broker answered "not found"; a failed request throws
     * instead, because a failed lookup says nothing about the order (law 4).
     */
    Optional<BrokerOrder> orderByClientId(String clientOrderId);

    /** Requests cancellation; returns the order as the broker reports it afterwards. */
    BrokerOrder cancel(String brokerOrderId);

    Quote quote(Symbol symbol);

    MarketClock clock();
}

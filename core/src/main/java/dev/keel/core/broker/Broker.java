package dev.keel.core.broker;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.MarketClock;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.Position;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Symbol;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * A connection to one broker account. Every method may throw {@link BrokerException}; no method retries.
 * Resilience (breaker, retry, lookup on UNKNOWN) is the caller's concern: {@code dev.keel.core.execution}.
 *
 * <p>Order classes (OCO, bracket) are held by the broker where it can: its orders carry deterministic client ids
 * derived from the caller's one (law 2), so each can be looked up after an ambiguous answer. The parent carries
 * {@code clientOrderId} itself (the OCO's take-profit leg, the bracket's entry); the take-profit leg of a bracket
 * is {@code clientOrderId + TAKE_PROFIT_SUFFIX}, every stop-loss leg {@code clientOrderId + STOP_LOSS_SUFFIX}.
 * A broker that cannot hold an order class refuses it ({@code INVALID_ORDER}, {@code REFUSED}) so Keel may
 * emulate it.
 */
public interface Broker {
    /** A short name for logs and metrics, e.g. {@code paper} or {@code alpaca}. */
    String name();

    AccountSnapshot account();

    List<Position> positions();

    /** Orders that may still fill. */
    List<BrokerOrder> openOrders();

    /**
     * Orders selected by status and creation time, oldest first: what the broker did for the account, open and
     * ended. A broker that keeps no history of ended orders answers only {@link OrderQuery.Status#OPEN} and refuses
     * the rest ({@code INVALID_ORDER}, {@code REFUSED}).
     */
    default List<BrokerOrder> orders(OrderQuery query) {
        if (query.status() != OrderQuery.Status.OPEN) {
            throw BrokerException.of(ErrorCode.INVALID_ORDER, Delivery.REFUSED,
                    name() + " keeps no history of ended orders; list open orders only");
        }
        return openOrders().stream()
                .filter(o -> query.after() == null || o.createdAt() == null || o.createdAt().isAfter(query.after()))
                .limit(query.limit())
                .toList();
    }

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

    /** Client-id suffix of a bracket's take-profit leg. */
    String TAKE_PROFIT_SUFFIX = ":tp";

    /** Client-id suffix of an OCO's or bracket's stop-loss leg. */
    String STOP_LOSS_SUFFIX = ":sl";

    /**
     * Places a one-cancels-other pair exiting a position: when either leg fills, even partly, the broker cancels the
     * other. Returns the take-profit leg (client id {@code clientOrderId}); the stop-loss leg has client id
     * {@code clientOrderId + STOP_LOSS_SUFFIX}.
     *
     * @param takeProfitLimit a limit order
     * @param stopLoss        a stop or stop-limit order on the same symbol and side
     */
    default BrokerOrder submitOco(String clientOrderId, OrderSpec takeProfitLimit, OrderSpec stopLoss) {
        throw unsupportedOrderClass();
    }

    /**
     * Places a bracket: the entry order (client id {@code clientOrderId}, returned), and once it fills two exit legs
     * sized to what filled, one-cancels-other: a take-profit limit at {@code takeProfitLimit} and a stop-loss at
     * {@code stopLossStop}, a stop-limit when {@code stopLossLimit} is not null.
     */
    default BrokerOrder submitBracket(String clientOrderId, OrderSpec entry, BigDecimal takeProfitLimit,
                                      BigDecimal stopLossStop, BigDecimal stopLossLimit) {
        throw unsupportedOrderClass();
    }

    /**
     * Whether the broker holds OCO pairs and brackets itself ({@link #submitOco}, {@link #submitBracket}). When false
     * Keel emulates them with plain orders and cancels a pair's twin itself.
     */
    default boolean holdsOrderClasses() {
        return false;
    }

    private BrokerException unsupportedOrderClass() {
        return BrokerException.of(ErrorCode.INVALID_ORDER, Delivery.REFUSED, "order class not supported by " + name());
    }

    Quote quote(Symbol symbol);

    MarketClock clock();
}

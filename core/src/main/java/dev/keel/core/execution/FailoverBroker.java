package dev.keel.core.execution;

import dev.keel.core.broker.Broker;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.MarketClock;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.Position;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Symbol;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * One account reached through two connections, a primary and a backup endpoint of the same broker (the same
 * account, the same orders): each {@link Endpoint}'s calls go to the connection active for it. Which one is active
 * is the {@link BrokerGateway}'s decision: it takes the backup when the primary's breaker opens and gives back
 * when the primary's health probe succeeds after its open period. Thread-safe.
 */
public final class FailoverBroker implements Broker {
    /** The two connections. */
    public enum Side {
        PRIMARY, BACKUP;

        /** {@code primary} or {@code backup}. */
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Broker primary;
    private final Broker backup;
    private final AtomicReferenceArray<Side> active = new AtomicReferenceArray<>(Endpoint.values().length);
    /** The side a gateway call in progress on this thread was routed to; its reads must go there. */
    private final ThreadLocal<Side> pinned = new ThreadLocal<>();

    public FailoverBroker(Broker primary, Broker backup) {
        this.primary = Objects.requireNonNull(primary, "primary");
        this.backup = Objects.requireNonNull(backup, "backup");
        for (Endpoint e : Endpoint.values()) {
            active.set(e.ordinal(), Side.PRIMARY);
        }
    }

    public Broker primary() {
        return primary;
    }

    public Broker backup() {
        return backup;
    }

    /** The connection {@code endpoint}'s calls go to now. */
    public Side active(Endpoint endpoint) {
        return active.get(endpoint.ordinal());
    }

    /** Switches {@code endpoint} to {@code side}; false when it was there already. */
    boolean activate(Endpoint endpoint, Side side) {
        return active.getAndSet(endpoint.ordinal(), side) != side;
    }

    Broker connection(Side side) {
        return side == Side.PRIMARY ? primary : backup;
    }

    /** Runs {@code call} (which calls this broker) with every call on this thread going to {@code side}. */
    <T> T pinned(Side side, Supplier<T> call) {
        Side before = pinned.get();
        pinned.set(side);
        try {
            return call.get();
        } finally {
            if (before == null) {
                pinned.remove();
            } else {
                pinned.set(before);
            }
        }
    }

    private Broker route(Endpoint endpoint) {
        Side side = pinned.get();
        return connection(side != null ? side : active(endpoint));
    }

    @Override
    public String name() {
        return primary.name();
    }

    @Override
    public AccountSnapshot account() {
        return route(Endpoint.READS).account();
    }

    @Override
    public List<Position> positions() {
        return route(Endpoint.READS).positions();
    }

    @Override
    public List<BrokerOrder> openOrders() {
        return route(Endpoint.READS).openOrders();
    }

    @Override
    public List<BrokerOrder> orders(dev.keel.core.broker.OrderQuery query) {
        return route(Endpoint.READS).orders(query);
    }

    @Override
    public BrokerOrder submit(String clientOrderId, OrderSpec spec) {
        return route(Endpoint.SUBMIT).submit(clientOrderId, spec);
    }

    @Override
    public BrokerOrder submitOco(String clientOrderId, OrderSpec takeProfitLimit, OrderSpec stopLoss) {
        return route(Endpoint.SUBMIT).submitOco(clientOrderId, takeProfitLimit, stopLoss);
    }

    @Override
    public boolean holdsOrderClasses() {
        return route(Endpoint.SUBMIT).holdsOrderClasses();
    }

    @Override
    public BrokerOrder submitBracket(String clientOrderId, OrderSpec entry, java.math.BigDecimal takeProfitLimit,
                                     java.math.BigDecimal stopLossStop, java.math.BigDecimal stopLossLimit) {
        return route(Endpoint.SUBMIT).submitBracket(clientOrderId, entry, takeProfitLimit, stopLossStop,
                stopLossLimit);
    }

    @Override
    public Optional<BrokerOrder> orderByClientId(String clientOrderId) {
        return route(Endpoint.LOOKUP).orderByClientId(clientOrderId);
    }

    @Override
    public BrokerOrder cancel(String brokerOrderId) {
        return route(Endpoint.CANCEL).cancel(brokerOrderId);
    }

    @Override
    public Quote quote(Symbol symbol) {
        return route(Endpoint.READS).quote(symbol);
    }

    @Override
    public MarketClock clock() {
        return route(Endpoint.READS).clock();
    }

    @Override
    public String toString() {
        return "failover of " + primary + " to " + backup;
    }
}

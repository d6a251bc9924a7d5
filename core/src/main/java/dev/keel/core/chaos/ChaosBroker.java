package dev.keel.core.chaos;

import dev.keel.core.broker.Broker;
import dev.keel.core.broker.ForwardingBroker;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.MarketClock;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.Position;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Symbol;
import dev.keel.core.broker.OrderQuery;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A broker under rehearsal: each call of the targeted endpoint fails with the session's probability while the
 * session runs, as the real broker would fail (a classified {@link dev.keel.core.broker.BrokerException}); the rest
 * pass through. It sits under the gateway, so retries, breakers and the UNKNOWN path meet the faults as they would
 * meet a real outage. Which calls fail comes from the session's seed and the account, so a rehearsal repeats.
 */
public final class ChaosBroker extends ForwardingBroker {
    private final List<ChaosSession> sessions;
    private final Clock clock;
    private final SplittableRandom random;

    /** @param sessions the rehearsals that target brokers (others are ignored) */
    public ChaosBroker(Broker delegate, List<ChaosSession> sessions, String accountId, Clock clock) {
        super(delegate);
        this.sessions = sessions.stream().filter(s -> ChaosTarget.BROKER_TARGETS.contains(s.started().target()))
                .toList();
        this.clock = clock;
        long seed = accountId.hashCode();
        for (ChaosSession s : this.sessions) {
            seed = seed * 31 + s.started().seed();
        }
        this.random = new SplittableRandom(seed);
    }

    /** {@code broker}, wrapped when a rehearsal targets broker calls. */
    public static Broker wrap(Broker broker, List<ChaosSession> sessions, String accountId, Clock clock) {
        ChaosBroker wrapped = new ChaosBroker(broker, sessions, accountId, clock);
        return wrapped.sessions.isEmpty() ? broker : wrapped;
    }

    private synchronized void maybeFail(String target, String call) {
        for (ChaosSession s : sessions) {
            if (s.started().target().equals(target) && s.activeAt(clock.instant())
                    && random.nextDouble() < s.started().probability()) {
                throw ChaosTarget.failure(s.started().kind(), call, s.id());
            }
        }
    }

    @Override
    public AccountSnapshot account() {
        maybeFail("reads", "account");
        return super.account();
    }

    @Override
    public List<Position> positions() {
        maybeFail("reads", "positions");
        return super.positions();
    }

    @Override
    public List<BrokerOrder> openOrders() {
        maybeFail("reads", "openOrders");
        return super.openOrders();
    }

    @Override
    public List<BrokerOrder> orders(OrderQuery query) {
        maybeFail("reads", "orders");
        return super.orders(query);
    }

    @Override
    public BrokerOrder submit(String clientOrderId, OrderSpec spec) {
        maybeFail("submit", "submit");
        return super.submit(clientOrderId, spec);
    }

    @Override
    public Optional<BrokerOrder> orderByClientId(String clientOrderId) {
        maybeFail("lookup", "orderByClientId");
        return super.orderByClientId(clientOrderId);
    }

    @Override
    public BrokerOrder cancel(String brokerOrderId) {
        maybeFail("cancel", "cancel");
        return super.cancel(brokerOrderId);
    }

    @Override
    public BrokerOrder submitOco(String clientOrderId, OrderSpec takeProfitLimit, OrderSpec stopLoss) {
        maybeFail("submit", "submitOco");
        return super.submitOco(clientOrderId, takeProfitLimit, stopLoss);
    }

    @Override
    public BrokerOrder submitBracket(String clientOrderId, OrderSpec entry, BigDecimal takeProfitLimit,
                                     BigDecimal stopLossStop, BigDecimal stopLossLimit) {
        maybeFail("submit", "submitBracket");
        return super.submitBracket(clientOrderId, entry, takeProfitLimit, stopLossStop, stopLossLimit);
    }

    @Override
    public Quote quote(Symbol symbol) {
        maybeFail("quotes", "quote");
        return super.quote(symbol);
    }

    @Override
    public MarketClock clock() {
        maybeFail("reads", "clock");
        return super.clock();
    }
}

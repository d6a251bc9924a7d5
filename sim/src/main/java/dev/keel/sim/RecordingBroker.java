package dev.keel.sim;

import dev.keel.core.broker.Broker;
import dev.keel.core.broker.BrokerException;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.MarketClock;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.Position;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Symbol;
import dev.keel.paper.PaperExchange;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The wire between engine and exchange: records every call with the exchange's answer, independently of what the
 * engine journals, and is where the engine may die just before or just after a call. Before every call is a scheduling
 * point, where another caller may run first.
 */
final class RecordingBroker implements Broker {
    private final Broker delegate;
    private final PaperExchange exchange;
    private final String accountId;
    private final Clock clock;
    private final CrashPlan crashes;
    private final List<WireCall> wire;
    private final java.util.function.LongSupplier journalSequence;
    private final SimProcess process;
    private final Scheduler scheduler;

    /**
     * @param journalSequence the journal's last sequence, read as each answer arrives
     * @param process         the engine process that calls through this broker
     */
    RecordingBroker(PaperExchange exchange, String accountId, Clock clock, CrashPlan crashes, List<WireCall> wire,
                    java.util.function.LongSupplier journalSequence, SimProcess process, Scheduler scheduler) {
        this.process = process;
        this.scheduler = scheduler;
        this.delegate = exchange.broker(accountId);
        this.exchange = exchange;
        this.accountId = accountId;
        this.clock = clock;
        this.crashes = crashes;
        this.wire = wire;
        this.journalSequence = journalSequence;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public AccountSnapshot account() {
        return call("account", null, delegate::account);
    }

    @Override
    public List<Position> positions() {
        return call("positions", null, delegate::positions);
    }

    @Override
    public List<BrokerOrder> openOrders() {
        return call("open-orders", null, delegate::openOrders);
    }

    @Override
    public List<BrokerOrder> orders(dev.keel.core.broker.OrderQuery query) {
        return call("open-orders", null, () -> delegate.orders(query));
    }

    @Override
    public BrokerOrder submit(String clientOrderId, OrderSpec spec) {
        return call("submit", clientOrderId, () -> delegate.submit(clientOrderId, spec));
    }

    @Override
    public BrokerOrder submitOco(String clientOrderId, OrderSpec takeProfitLimit, OrderSpec stopLoss) {
        return call("submit", clientOrderId, () -> delegate.submitOco(clientOrderId, takeProfitLimit, stopLoss));
    }

    @Override
    public boolean holdsOrderClasses() {
        return delegate.holdsOrderClasses();
    }

    @Override
    public BrokerOrder submitBracket(String clientOrderId, OrderSpec entry, java.math.BigDecimal takeProfitLimit,
                                     java.math.BigDecimal stopLossStop, java.math.BigDecimal stopLossLimit) {
        return call("submit", clientOrderId, () -> delegate.submitBracket(clientOrderId, entry, takeProfitLimit,
                stopLossStop, stopLossLimit));
    }

    @Override
    public Optional<BrokerOrder> orderByClientId(String clientOrderId) {
        return call("lookup", clientOrderId, () -> delegate.orderByClientId(clientOrderId));
    }

    @Override
    public BrokerOrder cancel(String brokerOrderId) {
        return call("cancel", brokerOrderId, () -> delegate.cancel(brokerOrderId));
    }

    @Override
    public Quote quote(Symbol symbol) {
        return call("quote", symbol.value(), () -> delegate.quote(symbol));
    }

    @Override
    public MarketClock clock() {
        return call("clock", null, delegate::clock);
    }

    private <T> T call(String op, String id, Supplier<T> call) {
        long sent = journalSequence.getAsLong(); // what Keel knew as the request left it; then the time in flight
        scheduler.point();
        process.checkAlive();
        try {
            return recorded(op, id, call, sent);
        } catch (SimCrash crash) {
            process.die(crash.getMessage());
            throw crash;
        }
    }

    private <T> T recorded(String op, String id, Supplier<T> call, long sent) {
        crashes.before(op + " " + accountId + (id == null ? "" : " " + id));
        T result;
        try {
            result = call.get();
        } catch (BrokerException e) {
            record(op, id, e.code().name(), null, sent);
            throw e;
        }
        String outcome = result instanceof Optional<?> o && o.isEmpty() ? WireCall.NOT_FOUND : WireCall.OK;
        record(op, id, outcome, result instanceof Quote q ? q : null, sent);
        crashes.after(op + " " + accountId + (id == null ? "" : " " + id));
        return result;
    }

    private void record(String op, String id, String outcome, Quote quote, long sent) {
        var cash = op.equals("submit") ? exchange.accountSnapshot(accountId).cash() : null;
        wire.add(new WireCall(clock.instant(), accountId, op, id, outcome, cash, journalSequence.getAsLong(),
                quote, sent));
    }
}

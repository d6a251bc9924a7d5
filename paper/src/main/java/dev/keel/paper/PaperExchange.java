package dev.keel.paper;

import dev.keel.core.broker.Broker;
import dev.keel.core.broker.BrokerException;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.MarketClock;
import dev.keel.core.model.Money;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.Position;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Symbol;
import dev.keel.core.time.Sleeper;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * A simulated exchange with one or more accounts, deterministic from its seed, with a fault plan; with a state file
 * its whole state survives a killed process. Thread-safe. {@link #broker(String)} gives the {@link Broker} view of
 * an account. Time moves only with the injected {@link Clock}: every call first does everything due up to
 * {@code clock.instant()} (walk steps, delayed fills, resting limits, day orders expiring at the close).
 */
public final class PaperExchange implements AutoCloseable {
    private final PaperConfig config;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Object lock = new Object();
    private final StateStore store;
    private final ExchangeState state;
    private final Matcher matcher;
    private final OrderDesk desk;

    /**
     * Opens the exchange: from its state file when the config names one that holds state (the config's starting
     * cash and positions then apply only to accounts not in the file), else fresh from the config.
     *
     * @param clock   the exchange's time
     * @param sleeper how latency and {@code slow} faults wait (a ManualClock advances itself)
     */
    public PaperExchange(PaperConfig config, Clock clock, Sleeper sleeper) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.store = config.stateFile() == null ? null : StateStore.open(config.stateFile());
        ExchangeState loaded = store == null ? null : store.load(config);
        this.state = loaded != null ? loaded : ExchangeState.fresh(config, clock.instant());
        this.matcher = new Matcher(state);
        this.desk = new OrderDesk(state, matcher);
        synchronized (lock) {
            save();
        }
    }

    /** The broker view of an account; the account is created with the starting cash and positions if new. */
    public Broker broker(String accountId) {
        Objects.requireNonNull(accountId, "accountId");
        observe(() -> state.account(accountId));
        return new PaperBroker(this, accountId);
    }

    /**
     * The exchange's market-data feed: delayed quotes, the last close and bars from its price path, apart from the
     * broker API (no faults, not counted).
     */
    public PaperMarketData marketData() {
        return new PaperMarketData(this, config.marketHours());
    }

    /** Every order the exchange ever created, in creation order, as it stands now. For tests and simulation. */
    public List<ExchangeOrderLogEntry> orderLog() {
        return observe(() -> state.orders().stream().map(PaperOrder::toLogEntry).toList());
    }

    /** The account as the exchange knows it, bypassing faults and call counts. For tests and simulation. */
    public AccountSnapshot accountSnapshot(String accountId) {
        return observe(() -> snapshot(accountId));
    }

    /** Sets a mid price (adding the symbol if new); resting limits that became marketable fill. For tests. */
    public void setPrice(Symbol symbol, BigDecimal mid) {
        Objects.requireNonNull(symbol, "symbol");
        if (mid.signum() <= 0) {
            throw new IllegalArgumentException("price must be positive, but was " + mid);
        }
        observe(() -> {
            state.market.setMid(symbol, mid);
            state.tape.record(symbol, clock.instant(), state.market.mid(symbol));
            matcher.matchAll(clock.instant());
            return null;
        });
    }

    /** The current mid of a symbol, null if unknown. For tests and simulation. */
    public BigDecimal price(Symbol symbol) {
        return observe(() -> state.market.mid(symbol));
    }

    /** How many calls each operation received, by its kebab-case name ({@code open-orders}). For tests. */
    public Map<String, Integer> callCounts() {
        synchronized (lock) {
            Map<String, Integer> counts = new TreeMap<>();
            state.callCounts().forEach((op, n) -> counts.put(op.wire(), n));
            return counts;
        }
    }

    /** Every fault that fired, in order. For tests and simulation. */
    public List<FaultRecord> faultsFired() {
        synchronized (lock) {
            return List.copyOf(state.faultsFired());
        }
    }

    @Override
    public void close() {
        if (store != null) {
            synchronized (lock) {
                store.close();
            }
        }
    }

    BrokerOrder submit(String accountId, String clientOrderId, OrderSpec spec) {
        Objects.requireNonNull(clientOrderId, "clientOrderId");
        Objects.requireNonNull(spec, "spec");
        return call(BrokerCall.SUBMIT, accountId, spec::symbol,
                (fault, now) -> desk.submit(accountId, clientOrderId, spec, fault, now));
    }

    BrokerOrder cancel(String accountId, String brokerOrderId) {
        return call(BrokerCall.CANCEL, accountId, () -> desk.symbolOfOrder(accountId, brokerOrderId),
                (fault, now) -> desk.cancel(accountId, brokerOrderId, now));
    }

    Optional<BrokerOrder> lookup(String accountId, String clientOrderId) {
        return call(BrokerCall.LOOKUP, accountId, () -> desk.symbolOfClientOrder(accountId, clientOrderId),
                (fault, now) -> desk.lookup(accountId, clientOrderId, now));
    }

    List<BrokerOrder> openOrders(String accountId) {
        return call(BrokerCall.OPEN_ORDERS, accountId, () -> null, (fault, now) -> desk.openOrders(accountId));
    }

    List<Position> positions(String accountId) {
        return call(BrokerCall.POSITIONS, accountId, () -> null, (fault, now) -> holdings(accountId));
    }

    AccountSnapshot account(String accountId) {
        return call(BrokerCall.ACCOUNT, accountId, () -> null, (fault, now) -> snapshot(accountId));
    }

    Quote quote(String accountId, Symbol symbol) {
        return call(BrokerCall.QUOTE, accountId, () -> symbol, (fault, now) -> {
            Quote quote = state.market.quote(symbol, now);
            if (quote == null) {
                throw Refusals.reject(RejectReason.SYMBOL_NOT_FOUND, accountId, "symbol not found: " + symbol);
            }
            boolean stale = fault != null && fault.kind() == FaultKind.STALE_QUOTE;
            return stale ? new Quote(symbol, quote.bid(), quote.ask(), now.minus(fault.duration())) : quote;
        });
    }

    MarketClock clock(String accountId) {
        MarketHours hours = config.marketHours();
        return call(BrokerCall.CLOCK, accountId, () -> null, (fault, now) -> new MarketClock(now, hours.isOpen(now),
                hours == MarketHours.ALWAYS_OPEN ? now : hours.nextOpen(now.plusNanos(1)), hours.reportedClose(now)));
    }

    private List<Position> holdings(String accountId) {
        List<Position> positions = new ArrayList<>();
        state.account(accountId).holdings().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            BigDecimal mid = state.market.mid(e.getKey());
            positions.add(new Position(e.getKey(), e.getValue(), mid == null ? BigDecimal.ZERO : mid));
        });
        return positions;
    }

    private AccountSnapshot snapshot(String accountId) {
        PaperAccount account = state.account(accountId);
        return new AccountSnapshot(accountId, account.cash(), Money.cashFloor(account.buyingPower(null)),
                holdings(accountId), clock.instant());
    }

    /** What a call does once its faults are decided: {@code fault} is a firing non-failing rule, or null. */
    @FunctionalInterface
    private interface Action<T> {
        T run(FaultRule fault, Instant now);
    }

    /**
     * One broker call: latency, then the fault plan decides (counted and saved), slow faults sleep outside the
     * lock, then the call fails as its fault says or is carried out; the state is saved before any answer.
     */
    private <T> T call(BrokerCall op, String accountId, Supplier<Symbol> symbol, Action<T> action) {
        sleeper.sleep(config.latency());
        FaultPlan.Decision decision;
        synchronized (lock) {
            decision = decide(op, accountId, symbol);
            if (decision.slowness().isZero()) {
                return carryOut(op, accountId, decision, action);
            }
            save();
        }
        sleeper.sleep(decision.slowness());
        synchronized (lock) {
            return carryOut(op, accountId, decision, action);
        }
    }

    private FaultPlan.Decision decide(BrokerCall op, String accountId, Supplier<Symbol> symbolOf) {
        Instant now = clock.instant();
        matcher.advanceTo(now);
        long callNumber = state.count(op);
        state.account(accountId);
        Symbol symbol = symbolOf.get();
        FaultPlan.Decision decision = state.plan.decide(op, symbol);
        for (FaultPlan.Fired f : decision.fired()) {
            state.recordFault(new FaultRecord(callNumber, now, op, accountId, f.index(), f.rule().kind(), symbol));
        }
        return decision;
    }

    private <T> T carryOut(BrokerCall op, String accountId, FaultPlan.Decision decision, Action<T> action) {
        try {
            Instant now = clock.instant();
            matcher.advanceTo(now);
            FaultRule fault = decision.outcome().orElse(null);
            if (fault == null || !fault.kind().fails()) {
                return action.run(fault, now);
            }
            if (fault.kind() == FaultKind.TIMEOUT_AFTER_ACCEPT) {
                try {
                    action.run(null, now);
                } catch (BrokerException lost) {
                    // the broker's answer, refusal or not, never reaches the client: it sees only the timeout
                }
            }
            throw Refusals.fault(fault, op, accountId);
        } finally {
            save();
        }
    }

    /** A market-data read of the state at the clock's now, under the lock, after doing what is due. */
    <T> T marketRead(java.util.function.BiFunction<ExchangeState, Instant, T> read) {
        return observe(() -> read.apply(state, clock.instant()));
    }

    /** Runs a test hook under the lock, after doing what is due, and saves what it changed. */
    private <T> T observe(Supplier<T> read) {
        synchronized (lock) {
            try {
                matcher.advanceTo(clock.instant());
                return read.get();
            } finally {
                save();
            }
        }
    }

    private void save() {
        if (store != null) {
            store.save(state);
        }
    }
}

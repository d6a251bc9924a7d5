package dev.keel.paper;

import dev.keel.core.broker.Broker;
import dev.keel.core.broker.BrokerException;
import dev.keel.core.broker.OrderQuery;
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
        ExchangeState loaded = store == null ? null : loadOrRelease(store, config);
        this.state = loaded != null ? loaded : ExchangeState.fresh(config, clock.instant());
        this.matcher = new Matcher(state);
        this.desk = new OrderDesk(state, matcher);
        long written;
        synchronized (lock) {
            written = write();
        }
        durable(written);
    }

    /** The saved state; a file that cannot be read is closed again, so its lock does not outlive the failure. */
    private static ExchangeState loadOrRelease(StateStore store, PaperConfig config) {
        try {
            return store.load(config);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** The broker view of an account; the account is created with the starting cash and positions if new. */
    public Broker broker(String accountId) {
        return broker(accountId, null);
    }

    /**
     * A second connection to this same exchange (same accounts, orders and prices) with its own fault plan, e.g. a
     * backup endpoint: its calls obey {@code faults} only, never the exchange's own plan. Its fault counters live in
     * memory only.
     */
    public PaperEndpoint endpoint(String name, List<FaultRule> faults) {
        Objects.requireNonNull(name, "name");
        long seed = new SplitMix64(config.seed() ^ name.hashCode()).nextLong();
        return new PaperEndpoint(this, name, new FaultPlan(faults, seed));
    }

    Broker broker(String accountId, PaperEndpoint endpoint) {
        Objects.requireNonNull(accountId, "accountId");
        observe(() -> state.account(accountId));
        return new PaperBroker(this, accountId, endpoint);
    }

    public PaperConfig config() {
        return config;
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
            store.close(state, this::underLock);
        }
    }

    /**
     * For tests: stops as a killed process would, committing nothing more (bookkeeping a read left for the next
     * commit is lost, every answered change is already durable) and releasing the state file's lock.
     */
    void killed() {
        if (store != null) {
            store.close();
        }
    }

    BrokerOrder submit(PaperEndpoint via, String accountId, String clientOrderId, OrderSpec spec) {
        Objects.requireNonNull(clientOrderId, "clientOrderId");
        Objects.requireNonNull(spec, "spec");
        return call(via, BrokerCall.SUBMIT, accountId, spec::symbol,
                (fault, now) -> desk.submit(accountId, clientOrderId, spec, fault, now));
    }

    BrokerOrder submitOco(PaperEndpoint via, String accountId, String clientOrderId, OrderSpec takeProfit,
                          OrderSpec stopLoss) {
        Objects.requireNonNull(clientOrderId, "clientOrderId");
        Objects.requireNonNull(takeProfit, "takeProfit");
        Objects.requireNonNull(stopLoss, "stopLoss");
        return call(via, BrokerCall.SUBMIT, accountId, takeProfit::symbol,
                (fault, now) -> desk.submitOco(accountId, clientOrderId, takeProfit, stopLoss, fault, now));
    }

    BrokerOrder submitBracket(PaperEndpoint via, String accountId, String clientOrderId, OrderSpec entry,
                              BracketExits exits) {
        Objects.requireNonNull(clientOrderId, "clientOrderId");
        Objects.requireNonNull(entry, "entry");
        return call(via, BrokerCall.SUBMIT, accountId, entry::symbol,
                (fault, now) -> desk.submitBracket(accountId, clientOrderId, entry, exits, fault, now));
    }

    BrokerOrder cancel(PaperEndpoint via, String accountId, String brokerOrderId) {
        return call(via, BrokerCall.CANCEL, accountId, () -> desk.symbolOfOrder(accountId, brokerOrderId),
                (fault, now) -> desk.cancel(accountId, brokerOrderId, now));
    }

    Optional<BrokerOrder> lookup(PaperEndpoint via, String accountId, String clientOrderId) {
        return call(via, BrokerCall.LOOKUP, accountId, () -> desk.symbolOfClientOrder(accountId, clientOrderId),
                (fault, now) -> desk.lookup(accountId, clientOrderId, now));
    }

    List<BrokerOrder> openOrders(PaperEndpoint via, String accountId) {
        return call(via, BrokerCall.OPEN_ORDERS, accountId, () -> null, (fault, now) -> desk.openOrders(accountId));
    }

    List<BrokerOrder> orders(PaperEndpoint via, String accountId, OrderQuery query) {
        Objects.requireNonNull(query, "query");
        return call(via, BrokerCall.OPEN_ORDERS, accountId, () -> null,
                (fault, now) -> desk.orders(accountId, query));
    }

    List<Position> positions(PaperEndpoint via, String accountId) {
        return call(via, BrokerCall.POSITIONS, accountId, () -> null, (fault, now) -> holdings(accountId));
    }

    AccountSnapshot account(PaperEndpoint via, String accountId) {
        return call(via, BrokerCall.ACCOUNT, accountId, () -> null, (fault, now) -> snapshot(accountId));
    }

    Quote quote(PaperEndpoint via, String accountId, Symbol symbol) {
        return call(via, BrokerCall.QUOTE, accountId, () -> symbol, (fault, now) -> {
            Quote quote = state.market.quote(symbol, now);
            if (quote == null) {
                throw Refusals.reject(RejectReason.SYMBOL_NOT_FOUND, accountId, "symbol not found: " + symbol);
            }
            boolean stale = fault != null && fault.kind() == FaultKind.STALE_QUOTE;
            return stale ? new Quote(symbol, quote.bid(), quote.ask(), now.minus(fault.duration())) : quote;
        });
    }

    MarketClock clock(PaperEndpoint via, String accountId) {
        MarketHours hours = config.marketHours();
        return call(via, BrokerCall.CLOCK, accountId, () -> null, (fault, now) -> new MarketClock(now, hours.isOpen(now),
                hours == MarketHours.ALWAYS_OPEN ? now : hours.nextOpen(now.plusNanos(1)), hours.reportedClose(now)));
    }

    /**
     * Whether the fault plan drops the order-update stream instead of delivering this event of {@code accountId}'s
     * ({@code stream-drop} rules on {@link BrokerCall#STREAM}); counted, recorded and saved as any call.
     */
    public boolean dropsStreamEvent(String accountId) {
        Objects.requireNonNull(accountId, "accountId");
        boolean drops;
        long written;
        synchronized (lock) {
            try {
                FaultPlan.Decision decision = decide(null, BrokerCall.STREAM, accountId, () -> null);
                drops = decision.outcome().map(r -> r.kind() == FaultKind.STREAM_DROP).orElse(false);
            } finally {
                written = write();
            }
        }
        durable(written);
        return drops;
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
     * lock, then the call fails as its fault says or is carried out. Every change an answer can show is durable before
     * that answer; a call that only moved counters leaves them to the next commit. The state is collected under the
     * lock and written and committed outside it, one commit for every call that wrote meanwhile.
     *
     * @param via the endpoint the call came through, whose fault plan decides; null for the exchange's own
     */
    private <T> T call(PaperEndpoint via, BrokerCall op, String accountId, Supplier<Symbol> symbol,
                       Action<T> action) {
        sleeper.sleep(config.latency());
        FaultPlan.Decision decision;
        Done<T> done;
        long decided = 0;
        synchronized (lock) {
            decision = decide(via, op, accountId, symbol);
            done = decision.slowness().isZero() ? carryOut(op, accountId, decision, action) : null;
            if (done == null) {
                decided = write(); // the call is counted and its faults recorded before the wait
            }
        }
        if (done == null) {
            durable(decided);
            sleeper.sleep(decision.slowness());
            synchronized (lock) {
                done = carryOut(op, accountId, decision, action);
            }
        }
        durable(done.written());
        return done.answer();
    }

    /**
     * A call carried out: its answer, or the broker's refusal, and the state write that must be durable before
     * either is given.
     */
    private record Done<T>(T value, RuntimeException refusal, long written) {
        T answer() {
            if (refusal != null) {
                throw refusal;
            }
            return value;
        }
    }

    private FaultPlan.Decision decide(PaperEndpoint via, BrokerCall op, String accountId, Supplier<Symbol> symbolOf) {
        Instant now = clock.instant();
        matcher.advanceTo(now);
        long callNumber = state.count(op);
        state.account(accountId);
        Symbol symbol = symbolOf.get();
        FaultPlan.Decision decision = (via == null ? state.plan : via.plan()).decide(op, symbol);
        for (FaultPlan.Fired f : decision.fired()) {
            FaultRecord record = new FaultRecord(callNumber, now, op, accountId, f.index(), f.rule().kind(), symbol);
            if (via == null) {
                state.recordFault(record);
            } else {
                via.recordFault(record);
            }
        }
        if (via != null) {
            via.count(op);
        }
        return decision;
    }

    /** Runs {@code read} under the exchange's lock: an endpoint's counters are guarded by it. */
    <T> T locked(Supplier<T> read) {
        synchronized (lock) {
            return read.get();
        }
    }

    private <T> Done<T> carryOut(BrokerCall op, String accountId, FaultPlan.Decision decision, Action<T> action) {
        T value = null;
        RuntimeException refusal = null;
        try {
            value = carryOutNow(op, accountId, decision, action);
        } catch (RuntimeException e) {
            refusal = e;
        }
        return new Done<>(value, refusal, write());
    }

    private <T> T carryOutNow(BrokerCall op, String accountId, FaultPlan.Decision decision, Action<T> action) {
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
    }

    /** A market-data read of the state at the clock's now, under the lock, after doing what is due. */
    <T> T marketRead(java.util.function.BiFunction<ExchangeState, Instant, T> read) {
        return observe(() -> read.apply(state, clock.instant()));
    }

    /** Runs a test hook under the lock, after doing what is due, and saves what it changed. */
    private <T> T observe(Supplier<T> read) {
        T value;
        long written;
        synchronized (lock) {
            try {
                matcher.advanceTo(clock.instant());
                value = read.get();
            } finally {
                written = write();
            }
        }
        durable(written);
        return value;
    }

    /** Queues what changed to be written, under the lock; {@link #durable} then waits for its commit outside it. */
    private long write() {
        return store == null ? 0 : store.write(state);
    }

    /**
     * Returns once the state write {@code written} is committed, sharing one commit with the calls that wrote
     * meanwhile (group commit): the exchange's lock is not held through every call's fsync. Called without the lock.
     */
    private void durable(long written) {
        if (store != null) {
            store.durable(written, state, this::underLock);
        }
    }

    private void underLock(Runnable work) {
        synchronized (lock) {
            work.run();
        }
    }
}

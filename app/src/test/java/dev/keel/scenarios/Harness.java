package dev.keel.scenarios;

import dev.keel.core.engine.AccountRuntime;
import dev.keel.core.engine.Engine;
import dev.keel.core.execution.BreakerPolicy;
import dev.keel.core.execution.BrokerGateway;
import dev.keel.core.execution.ExecutionSettings;
import dev.keel.core.execution.OrderExecutor;
import dev.keel.core.execution.RetryPolicy;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.OrderAttemptFailed;
import dev.keel.core.journal.OrderFailed;
import dev.keel.core.journal.OrderIntentRecorded;
import dev.keel.core.journal.OrderLookedUp;
import dev.keel.core.journal.OrderUpdated;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.core.journal.TransactionEvent;
import dev.keel.core.model.Symbol;
import dev.keel.core.notify.Notification;
import dev.keel.core.notify.NotificationChannel;
import dev.keel.core.notify.Outbox;
import dev.keel.core.rebalance.RebalanceAccount;
import dev.keel.core.rebalance.TargetAllocation;
import dev.keel.core.risk.RiskLimits;
import dev.keel.core.time.ManualClock;
import dev.keel.paper.FaultRule;
import dev.keel.paper.PaperConfig;
import dev.keel.paper.PaperExchange;
import dev.keel.store.Journals;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A whole Keel over real parts: a SQLite journal file, the paper exchange with a fault plan, simulated time.
 * The All-Weather account of the spec: VTI 50 @ 250, TLT 10 @ 90, $10,000 cash.
 */
final class Harness implements AutoCloseable {
    static final String ACCOUNT = "main";
    static final Instant START = Instant.parse("2026-11-23T15:00:00Z");

    final ManualClock clock = new ManualClock(START);
    final Path dir;
    final PaperExchange exchange;
    Journal journal;
    final List<Notification> notified = new ArrayList<>();
    private final AtomicInteger txCounter = new AtomicInteger();
    private final List<FaultRule> faults;

    Harness(Path dir, List<FaultRule> faults) {
        this(dir, faults, b -> b);
    }

    /** @param paper changes the exchange's configuration, e.g. {@code b -> b.orderClasses(false)} */
    Harness(Path dir, List<FaultRule> faults, java.util.function.UnaryOperator<PaperConfig.Builder> paper) {
        this.dir = dir;
        this.faults = faults;
        this.exchange = new PaperExchange(paper.apply(paperConfigBuilder(dir, faults)).build(), clock, clock);
        this.journal = Journals.open("sqlite:" + dir.resolve("journal.db"), clock);
    }

    static PaperConfig paperConfig(Path dir, List<FaultRule> faults) {
        return paperConfigBuilder(dir, faults).build();
    }

    static PaperConfig.Builder paperConfigBuilder(Path dir, List<FaultRule> faults) {
        return PaperConfig.builder()
                .seed(42)
                .startingCash(new BigDecimal("10000.00"))
                .startingPosition(Symbol.of("VTI"), new BigDecimal("50"))
                .startingPosition(Symbol.of("TLT"), new BigDecimal("10"))
                .price(Symbol.of("VTI"), new BigDecimal("250.00"))
                .price(Symbol.of("TLT"), new BigDecimal("90.00"))
                .price(Symbol.of("IEF"), new BigDecimal("95.00"))
                .price(Symbol.of("GLD"), new BigDecimal("185.00"))
                .price(Symbol.of("DBC"), new BigDecimal("22.00"))
                .stateFile(dir.resolve("paper.db"))
                .faults(faults);
    }

    static TargetAllocation allWeather() {
        return TargetAllocation.builder()
                .weight("VTI", "0.30").weight("TLT", "0.40").weight("IEF", "0.15")
                .weight("GLD", "0.075").weight("DBC", "0.075")
                .build();
    }

    static ExecutionSettings settings() {
        return new ExecutionSettings(RetryPolicy.builder().maxAttempts(4).initialDelay(Duration.ofSeconds(1))
                .multiplier(2.0).maxDelay(Duration.ofSeconds(30)).jitter(0.5).build(),
                Duration.ofSeconds(2), Duration.ofMinutes(2), Duration.ofMillis(250), Duration.ofSeconds(5));
    }

    /** Builds the account's market-data chain over its gateway; null prices on live quotes alone. */
    java.util.function.Function<BrokerGateway, dev.keel.core.marketdata.QuoteChain> marketData;

    /** Where the account's targets come from; null for {@link #allWeather()}. */
    dev.keel.core.rebalance.AllocationSource allocation;

    /** Wraps the exchange's broker view, e.g. to crash the engine at a chosen call. */
    java.util.function.UnaryOperator<dev.keel.core.broker.Broker> brokerDecorator = b -> b;

    /** Changes the executor's settings, e.g. {@code s -> s.withProtectionGrace(Duration.ofSeconds(2))}. */
    java.util.function.UnaryOperator<ExecutionSettings> settingsTweak = s -> s;

    /** How the executor waits: on simulated time unless a test needs the system's (an interrupt, say). */
    dev.keel.core.time.Sleeper sleeper = clock;

    /** The order states the broker pushes to the fill watch; none by default. */
    dev.keel.core.broker.OrderUpdates updates = dev.keel.core.broker.OrderUpdates.NONE;

    /** The broker's rate limit, bulkhead and budget; null for a bare gateway (a breaker alone). */
    dev.keel.core.execution.ResiliencePolicies resilience;

    OrderExecutor executor() {
        dev.keel.core.broker.Broker broker = brokerDecorator.apply(exchange.broker(ACCOUNT));
        BrokerGateway gateway = resilience == null
                ? new BrokerGateway(broker, BreakerPolicy.defaults().create("paper", clock), settings().retry(), clock,
                        new SplittableRandom(7))
                : new dev.keel.core.execution.BrokerResilience("paper", resilience, journal, null, clock, sleeper)
                        .gateway(ACCOUNT, broker, new SplittableRandom(7));
        return new OrderExecutor(gateway, settingsTweak.apply(settings()), clock, sleeper, new SplittableRandom(11),
                updates);
    }

    Outbox outbox() {
        NotificationChannel recording = new NotificationChannel() {
            @Override
            public String name() {
                return "recording";
            }

            @Override
            public void send(Notification n) {
                notified.add(n);
            }
        };
        return Outbox.builder(journal, clock, new SplittableRandom(3)).channel(recording).build();
    }

    Engine engine() {
        return engine(Duration.ZERO, dev.keel.core.engine.AccountLeases.inProcess());
    }

    /** An engine whose callers wait up to {@code lockTimeout} for the account's lease from {@code leases}. */
    Engine engine(Duration lockTimeout, dev.keel.core.engine.AccountLeases leases) {
        RebalanceAccount account = allocation == null ? new RebalanceAccount(ACCOUNT, allWeather(), RiskLimits.DEFAULTS)
                : new RebalanceAccount(ACCOUNT, null, RiskLimits.DEFAULTS, allocation);
        OrderExecutor executor = executor();
        return new Engine(journal, List.of(new AccountRuntime(account, executor,
                dev.keel.core.account.PlacementBreaker.of(executor.gateway().breaker()),
                marketData == null ? null : marketData.apply(executor.gateway()))), outbox(), clock,
                () -> "tx-" + txCounter.incrementAndGet(), lockTimeout, leases);
    }

    /** The journal closed and opened again, as a restarted process would find it. */
    void reopenJournal() {
        journal.close();
        journal = Journals.open("sqlite:" + dir.resolve("journal.db"), clock);
    }

    List<TransactionEvent> events(String txId) {
        return journal.stream(txId).stream().map(JournalRecord::event)
                .filter(TransactionEvent.class::isInstance).map(TransactionEvent.class::cast).toList();
    }

    /** The order events of one leg as compact lines, for whole-list assertions. */
    List<String> orderEvents(String txId, String leg) {
        String cid = txId + ":" + leg;
        List<String> lines = new ArrayList<>();
        for (TransactionEvent e : events(txId)) {
            String line = switch (e) {
                case OrderIntentRecorded i when i.clientOrderId().equals(cid) ->
                        "intent " + i.spec().side() + " " + i.spec().symbol();
                case OrderAttemptFailed f when f.clientOrderId().equals(cid) ->
                        "attempt " + f.attempt() + " failed " + f.code() + " " + f.delivery();
                case OrderLookedUp l when l.clientOrderId().equals(cid) ->
                        "lookup " + l.outcome() + (l.afterGrace() ? " after grace" : " within grace")
                                + (l.errorCode() == null ? "" : " " + l.errorCode());
                case OrderUpdated u when u.clientOrderId().equals(cid) -> "broker " + u.state();
                case OrderFailed f when f.clientOrderId().equals(cid) -> "failed " + f.state() + " " + f.code();
                default -> null;
            };
            if (line != null) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** The kinds of the transaction's events in order, e.g. TransactionStarted, OrderIntentRecorded... */
    List<String> eventKinds(String txId) {
        return journal.stream(txId).stream().map(r -> r.event().getClass().getSimpleName()).toList();
    }

    TransactionEnded ended(String txId) {
        return events(txId).stream().filter(TransactionEnded.class::isInstance).map(TransactionEnded.class::cast)
                .findFirst().orElseThrow();
    }

    /**
     * A resting order the journal knows: placed by a test transaction {@code txId} (intent journaled first), which is
     * then ended so recovery leaves it alone. Returns its client order id.
     */
    String restingOrder(String txId, String leg, dev.keel.core.model.OrderSpec spec) {
        var ctx = new dev.keel.core.execution.OperationContext(txId, ACCOUNT, txId);
        var ledger = new dev.keel.core.execution.TransactionLedger(journal, ctx,
                new dev.keel.core.execution.TransactionView());
        ledger.record(new dev.keel.core.journal.TransactionStarted(txId, ACCOUNT, "test_orders", txId, List.of(),
                null, BigDecimal.ZERO, clock.instant()));
        executor().place(ledger, leg, spec);
        ledger.record(new TransactionEnded(txId, ACCOUNT, dev.keel.core.model.TransactionStatus.COMPLETED, null, null,
                null, clock.instant()));
        return txId + ":" + leg;
    }

    long exchangeOrdersFor(String clientOrderId) {
        return exchange.orderLog().stream().filter(o -> o.clientOrderId().equals(clientOrderId)).count();
    }

    @Override
    public void close() {
        journal.close();
        exchange.close();
    }
}

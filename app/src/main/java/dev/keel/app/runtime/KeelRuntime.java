package dev.keel.app.runtime;

import dev.keel.alpaca.AlpacaBroker;
import dev.keel.alpaca.StreamedOrderUpdates;
import dev.keel.alpaca.TradeUpdateStream;
import dev.keel.app.config.AccountConfig;
import dev.keel.app.config.BrokerConfig;
import dev.keel.app.config.KeelConfig;
import dev.keel.app.config.MarketDataSettings;
import dev.keel.app.allocation.HttpAllocationSource;
import dev.keel.core.allocation.AllocationValidator;
import dev.keel.core.allocation.GuardedAllocationSource;
import dev.keel.core.broker.Broker;
import dev.keel.core.broker.OrderUpdates;
import dev.keel.core.chaos.ChaosBroker;
import dev.keel.core.chaos.ChaosChannel;
import dev.keel.core.chaos.ChaosSession;
import dev.keel.core.chaos.ChaosSessions;
import dev.keel.core.account.PlacementBreaker;
import dev.keel.core.engine.AccountRuntime;
import dev.keel.core.engine.Engine;
import dev.keel.core.engine.Places;
import dev.keel.core.engine.SideBySide;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.events.EventSource;
import dev.keel.core.execution.BrokerGateway;
import dev.keel.core.execution.BrokerResilience;
import dev.keel.core.execution.ExecutionSettings;
import dev.keel.core.execution.OrderExecutor;
import dev.keel.core.journal.Journal;
import dev.keel.core.marketdata.BrokerQuoteSource;
import dev.keel.core.marketdata.MarketSession;
import dev.keel.core.marketdata.QuoteChain;
import dev.keel.core.metrics.KeelMetrics;
import dev.keel.core.metrics.MeteredJournal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.keel.core.model.Symbol;
import dev.keel.core.notify.Outbox;
import dev.keel.notify.alert.AlertDesk;
import dev.keel.core.rebalance.RebalanceAccount;
import dev.keel.core.rebalance.TargetAllocation;
import dev.keel.core.risk.RiskLimits;
import dev.keel.core.time.Background;
import dev.keel.core.time.Sleeper;
import dev.keel.paper.PaperEndpoint;
import dev.keel.paper.PaperExchange;
import dev.keel.paper.PaperMarketData;
import dev.keel.store.JdbcJournal;
import dev.keel.store.Journals;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Keel assembled from a configuration: the journal, the broker's resilience (breakers per account and endpoint,
 * retry budget, rate limit, bulkhead, failover to a backup endpoint), the outbox and its channels, and the engine. The composition root of the CLI; the
 * only place that picks the system clock and sleeper.
 */
public final class KeelRuntime implements AutoCloseable {
    /**
     * How many recovering accounts work at once after a restart. An account whose recovery waits (a poll, a backoff,
     * a fill it waits out) gives its place to the next while it waits ({@link Places}), so no account waits behind
     * another's long wait; the places bound only the accounts at work. 1,000 accounts on a thread each took a fifth
     * longer to recover on 2 cores, the threads' own switching, starts and wake-ups costing more than they gave
     * (bench/README.md, issue 15's ninth sitting).
     */
    static final int RECOVERY_WIDTH = 128;
    private static final DateTimeFormatter TX_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private final KeelConfig config;
    private final KeelMetrics metrics;
    private final Journal journal;
    private final JdbcJournal database;
    private final PaperExchange paper;
    private final AlpacaSetup.Brokers alpaca;
    /** Alpaca's trade_updates, feeding the executors' fill watches; null unless Alpaca on real time. */
    private final List<TradeUpdateStream> streams;
    private final ScheduledExecutorService streamScheduler;
    private final Map<String, Broker> brokers = new LinkedHashMap<>();
    private final Map<String, BrokerGateway> gateways = new LinkedHashMap<>();
    private final List<HttpAllocationSource> allocationClients = new ArrayList<>();
    private final MeterRegistry meters;
    private final BrokerResilience resilience;
    private final Outbox outbox;
    private final AlertDesk alerts;
    private final List<ChaosSession> rehearsals;
    private final Engine engine;
    private final Sleeper sleeper;
    private final Clock clock;
    private final List<Runnable> afterClose = new ArrayList<>();

    private KeelRuntime(KeelConfig config, Clock clock, Sleeper sleeper, PrintStream console, long seed,
                        int processNonce, Map<String, String> environment, MeterRegistry registry,
                        boolean pushedUpdates, boolean toRead) {
        this.config = config;
        // Every part built below waits through this one: a recovering account that waits gives its place to the next
        // (RecoveryPlacesTest).
        sleeper = Places.yielding(sleeper);
        this.sleeper = sleeper;
        this.clock = clock;
        SplittableRandom random = new SplittableRandom(seed);
        this.meters = registry;
        this.metrics = new KeelMetrics(registry, clock);
        BrokerConfig broker = config.broker();
        // The built-in exchange reads its state beside the journal's open and check: each is a few tenths of a second
        // of one thread's work at a start ('keel recover' of 1,000 accounts, the process's time beyond
        // Engine.recover(): 1.35-1.37 -> 1.20-1.34 s, 4 pairs in turn).
        Sleeper paperSleeper = sleeper;
        Background<PaperExchange> paperOpening = broker.kind() != BrokerConfig.Kind.PAPER ? Background.done(() -> null)
                : Background.start("keel-paper-open", () -> new PaperExchange(PaperSetup.config(broker.paper()), clock,
                        paperSleeper));
        JdbcJournal database;
        try {
            database = toRead ? Journals.openToRead(config.journalUrl(), clock)
                    : Journals.open(config.journalUrl(), clock);
        } catch (RuntimeException e) {
            paperOpening.discard(PaperExchange::close); // releases the state file's lock for the next owner
            throw e;
        }
        this.database = database;
        this.journal = new MeteredJournal(database, metrics);
        AlpacaSetup.Brokers opened = null;
        PaperExchange openedPaper = null;
        List<TradeUpdateStream> openedStreams = new ArrayList<>();
        ScheduledExecutorService openedScheduler = null;
        try {
            openedPaper = paperOpening.join();
            this.paper = openedPaper;
            opened = broker.kind() == BrokerConfig.Kind.ALPACA
                    ? AlpacaSetup.brokers(config, clock, sleeper, environment) : null;
            this.alpaca = opened;
            Map<String, StreamedOrderUpdates> pushed = new java.util.HashMap<>();
            if (opened != null && pushedUpdates) {
                openedScheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "keel-trade-updates");
                    t.setDaemon(true);
                    return t;
                });
                for (Map.Entry<String, AlpacaBroker> e : opened.byAccount().entrySet()) {
                    StreamedOrderUpdates updates = new StreamedOrderUpdates();
                    pushed.put(e.getKey(), updates); // one trade_updates stream per Alpaca account (key pair)
                    openedStreams.add(e.getValue().tradeUpdates(updates, openedScheduler, random.split()));
                }
            }
            this.streamScheduler = openedScheduler;
            this.streams = List.copyOf(openedStreams);
            ExecutionSettings settings = ExecutionSettings.defaults().withRetry(config.retry().policy())
                    .withProtectionGrace(config.operations().protectionGrace());
            if (paper != null) {
                // Law 4's grace is the broker's lookup lag. The built-in exchange runs in this process and shows an
                // order to lookups once its configured lag has passed (none by default); a crashed process sends it
                // nothing afterwards. Waiting Alpaca's 2 s for it would only delay every recovery and retry.
                settings = settings.withVisibilityGrace(broker.paper().visibilityLag());
            }
            PaperEndpoint backup = paper == null ? null : PaperSetup.backup(paper, broker.paper());
            this.resilience = new BrokerResilience(broker.kind().wire(), config.resilience(), journal, meters, clock,
                    sleeper);
            List<AccountRuntime> accounts = new ArrayList<>();
            // Rehearsals running now (keel chaos inject): their faults sit under the gateway and on the channels.
            this.rehearsals = new ChaosSessions(journal, clock).active();
            for (AccountConfig a : config.accounts()) {
                Broker b = ChaosBroker.wrap(paper != null ? paper.broker(a.id()) : alpaca.byAccount().get(a.id()),
                        rehearsals, a.id(), clock);
                BrokerGateway gateway = backup == null ? resilience.gateway(a.id(), b, random.split())
                        : resilience.gateway(a.id(), b, backup.broker(a.id()), random.split());
                brokers.put(a.id(), b);
                gateways.put(a.id(), gateway);
                OrderUpdates updates = pushed.get(a.id());
                OrderExecutor executor = new OrderExecutor(gateway, settings, clock, sleeper, random.split(),
                        updates == null ? OrderUpdates.NONE : updates);
                RebalanceAccount account = a.allocation() == null ? account(a, config)
                        : new RebalanceAccount(a.id(), null, risk(config), allocation(a, clock, sleeper, random));
                accounts.add(new AccountRuntime(account, executor, PlacementBreaker.of(gateway.breaker()),
                        marketData(config.marketData(), gateway, a.id(), clock)));
            }
            this.outbox = NotifySetup.configure(Outbox.builder(journal, clock, random.split())
                    .channels(NotifySetup.channels(config, console, clock, System.getenv()).stream()
                            .map(c -> ChaosChannel.of(c, rehearsals, clock)).toList()), config, clock).build();
            this.alerts = new AlertDesk(journal, outbox, clock, NotifySetup.escalation(config));
            this.engine = new Engine(journal, accounts, outbox, clock, txIds(clock, processNonce),
                    Engine.DEFAULT_LOCK_TIMEOUT, database.leases(clock, sleeper), // one writer across processes
                    SideBySide.threads("recovery", RECOVERY_WIDTH));
            // polling stays the fallback while a stream connects, and whenever it is down
            streams.forEach(TradeUpdateStream::start);
        } catch (RuntimeException e) {
            allocationClients.forEach(HttpAllocationSource::close);
            openedStreams.forEach(TradeUpdateStream::close);
            if (openedScheduler != null) {
                openedScheduler.shutdownNow();
            }
            if (opened != null) {
                opened.close();
            }
            if (openedPaper != null) {
                openedPaper.close(); // releases the state file's lock for the next owner
            }
            journal.close();
            throw e;
        }
    }

    /** The account's price sources in the configured order, the paper exchange's feed behind the fallbacks. */
    private QuoteChain marketData(MarketDataSettings settings, BrokerGateway gateway, String accountId, Clock clock) {
        if (alpaca != null) {
            // Alpaca trades US equities: bars follow their session; delayed and last-close come from its data API.
            QuoteChain.Builder chain = QuoteChain.builder(clock).policy(settings.policy(MarketSession.US_EQUITIES));
            for (MarketDataSettings.Source source : settings.sources()) {
                chain.source(source.kind() == MarketDataSettings.Kind.LIVE ? new BrokerQuoteSource(gateway)
                        : AlpacaSetup.source(source, alpaca.byAccount().get(accountId), clock), source.maxAge());
            }
            return chain.build();
        }
        PaperMarketData feed = paper.marketData();
        QuoteChain.Builder chain = QuoteChain.builder(clock).policy(settings.policy(feed.session()));
        for (MarketDataSettings.Source source : settings.sources()) {
            chain.source(switch (source.kind()) {
                case LIVE -> new BrokerQuoteSource(gateway);
                case DELAYED -> feed.delayed(source.delay());
                case LAST_CLOSE -> feed.lastClose();
            }, source.maxAge());
        }
        return chain.build();
    }

    /** The account's allocation service behind its retry policy and circuit breaker. */
    private GuardedAllocationSource allocation(AccountConfig a, Clock clock, Sleeper sleeper,
                                               SplittableRandom random) {
        var settings = a.allocation();
        TreeSet<Symbol> universe = new TreeSet<>();
        settings.symbols().forEach(s -> universe.add(Symbol.of(s)));
        HttpAllocationSource http = new HttpAllocationSource(a.id(), settings.url(), settings.timeout(),
                new AllocationValidator(a.driftThreshold(), a.minTrade(), a.cashBuffer(), universe));
        allocationClients.add(http);
        return new GuardedAllocationSource(http, settings.retry().policy(),
                settings.circuitBreaker().policy().create("allocation:" + a.id(), clock), sleeper, random.split());
    }

    /** Production wiring: the system clock and a real sleeper; jitter seeded from the paper seed or the system. */
    public static KeelRuntime open(KeelConfig config, PrintStream console) {
        return open(config, console, new SimpleMeterRegistry());
    }

    /**
     * Production wiring whose meters (Keel's, counted from the journal, and the broker's resilience meters) go to
     * {@code registry}: {@code keel serve} passes the Prometheus registry it publishes.
     */
    public static KeelRuntime open(KeelConfig config, PrintStream console, MeterRegistry registry) {
        return new KeelRuntime(config, Clock.systemUTC(), Sleeper.system(), console, seed(config),
                new java.security.SecureRandom().nextInt(), System.getenv(), registry, true, false);
    }

    /**
     * Production wiring for a command that reads (an account's status, the broker's orders, the alerts): its journal
     * opens as a reader's does, and is given a writer's check only before a first write, should the command make one
     * ({@link Journals#openToRead}: {@code keel account status} on 10,000 transactions 575 -> 504 ms, issue 15). No
     * trade-updates stream is opened: such a command places nothing, and waits for no fill.
     */
    public static KeelRuntime openToRead(KeelConfig config, PrintStream console) {
        return new KeelRuntime(config, Clock.systemUTC(), Sleeper.system(), console, seed(config),
                new java.security.SecureRandom().nextInt(), System.getenv(), new SimpleMeterRegistry(), false, true);
    }

    /** The paper exchange's seed for the process's jitter, or the system's randomness. */
    private static long seed(KeelConfig config) {
        return config.broker().paper() != null ? config.broker().paper().seed()
                : new java.security.SecureRandom().nextLong();
    }

    /** Wiring with injected time, for tests. */
    public static KeelRuntime open(KeelConfig config, Clock clock, Sleeper sleeper, PrintStream console, long seed) {
        return new KeelRuntime(config, clock, sleeper, console, seed, (int) seed, System.getenv(),
                new SimpleMeterRegistry(), false, false);
    }

    /** Wiring with injected time and environment (where Alpaca's keys are read), for tests. */
    public static KeelRuntime open(KeelConfig config, Clock clock, Sleeper sleeper, PrintStream console, long seed,
                                   Map<String, String> environment) {
        return open(config, clock, sleeper, console, seed, environment, new SimpleMeterRegistry());
    }

    /** Wiring with injected time, environment and meter registry, for tests of a serving process. */
    public static KeelRuntime open(KeelConfig config, Clock clock, Sleeper sleeper, PrintStream console, long seed,
                                   Map<String, String> environment, MeterRegistry registry) {
        return new KeelRuntime(config, clock, sleeper, console, seed, (int) seed, environment, registry, false, false);
    }

    public KeelConfig config() {
        return config;
    }

    /** This process's time: the system's, or a test's simulated one. */
    public Clock clock() {
        return clock;
    }

    /** How this process waits: the system's, or a test's simulated time. */
    public Sleeper sleeper() {
        return sleeper;
    }

    public Engine engine() {
        return engine;
    }

    public Journal journal() {
        return journal;
    }

    /** This process's meters, counted from the journal as events become durable. */
    public KeelMetrics metrics() {
        return metrics;
    }

    public Outbox outbox() {
        return outbox;
    }

    /** The first account's Alpaca broker, when the broker is {@code alpaca}; null otherwise. */
    public AlpacaBroker alpaca() {
        return alpaca == null ? null : alpaca.first();
    }

    /** The paper exchange, when the broker is {@code paper}. */
    public PaperExchange paper() {
        return paper;
    }

    /** Every resilience decision counted: breaker transitions, refusals, retries, failovers. */
    public MeterRegistry meters() {
        return meters;
    }

    /** The broker's shared resilience: its policies, retry budget, rate limiter; {@code flush()} journals counts. */
    public BrokerResilience resilience() {
        return resilience;
    }

    /** The account's broker connection, every call through its circuit breaker, reads retried. */
    public BrokerGateway gateway(String accountId) {
        return gateways.get(accountId(accountId));
    }

    /** The one account, or the named one; a clear error when the choice is ambiguous or unknown. */
    public String accountId(String requested) {
        if (requested != null) {
            List<String> ids = engine.accountIds();
            if (!ids.contains(requested)) {
                throw new KeelException(ErrorCode.UNKNOWN_ID, "no account '" + requested + "' in " + config.source()
                        + "; configured: " + String.join(", ", ids));
            }
            return requested;
        }
        List<String> ids = engine.accountIds();
        if (ids.size() != 1) {
            throw new KeelException(ErrorCode.CONFIG_INVALID, config.source() + " has " + ids.size()
                    + " accounts (" + String.join(", ", ids) + "); name one with --account");
        }
        return ids.get(0);
    }

    /**
     * Where this process takes events from, as {@code events} configures it, by consumer name; the embedded inbox
     * lives in the journal's database and closes with it.
     */
    public EventSource events(String consumer) {
        return events(consumer, clock);
    }

    /** As {@link #events(String)}, the inbox's visibility timeouts and backoffs on {@code inboxClock} (tests). */
    public EventSource events(String consumer, Clock inboxClock) {
        return EventSetup.source(config, database, inboxClock, consumer);
    }

    /** Alerts over this runtime's journal and outbox: list, acknowledge, resolve, escalate. */
    public AlertDesk alerts() {
        return alerts;
    }

    /** The chaos rehearsals this process injects (those running when it opened). */
    public List<ChaosSession> rehearsals() {
        return rehearsals;
    }

    /** Runs {@code action} once this runtime has closed (say, to print what its console channel held); returns this. */
    public KeelRuntime afterClose(Runnable action) {
        afterClose.add(action);
        return this;
    }

    private void stopStream() {
        streams.forEach(TradeUpdateStream::close);
        if (streamScheduler != null) {
            streamScheduler.shutdownNow();
        }
    }

    @Override
    public void close() {
        allocationClients.forEach(HttpAllocationSource::close);
        try {
            stopStream();
            resilience.flush();
            if (paper != null) {
                paper.close();
            }
            if (alpaca != null) {
                alpaca.close();
            }
        } finally {
            try {
                journal.close();
            } finally {
                afterClose.forEach(Runnable::run);
            }
        }
    }

    static RebalanceAccount account(AccountConfig a, KeelConfig config) {
        TargetAllocation.Builder target = TargetAllocation.builder()
                .driftThreshold(a.driftThreshold()).minTrade(a.minTrade()).cashBuffer(a.cashBuffer());
        for (Map.Entry<String, BigDecimal> w : a.targets().entrySet()) {
            target.weight(Symbol.of(w.getKey()), w.getValue());
        }
        return new RebalanceAccount(a.id(), target.build(), risk(config));
    }

    /** The risk limits every account of {@code config} runs under. */
    public static RiskLimits risk(KeelConfig config) {
        return RiskLimits.builder().maxTurnover(config.risk().maxTurnover()).maxOrder(config.risk().maxOrder()).build();
    }

    /**
     * {@code rb-20261122-143005-3fa91c07-12}: readable and sortable by time, unique within the process by a counter
     * (safe from any number of threads) and across processes by a random per-process nonce. The engine's journal
     * check stays as a last guard.
     */
    static Supplier<String> txIds(Clock clock, int processNonce) {
        AtomicLong counter = new AtomicLong();
        String nonce = HexFormat.of().toHexDigits(processNonce);
        return () -> "rb-" + TX_TIME.format(clock.instant()) + "-" + nonce + "-" + counter.incrementAndGet();
    }
}

package dev.keel.sim;

import dev.keel.core.account.StateChange;
import dev.keel.core.account.PlacementBreaker;
import dev.keel.core.engine.AccountRuntime;
import dev.keel.core.engine.Engine;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.execution.BrokerGateway;
import dev.keel.core.execution.BrokerResilience;
import dev.keel.core.execution.ExecutionSettings;
import dev.keel.core.execution.OrderExecutor;
import dev.keel.core.execution.ResiliencePolicies;
import dev.keel.core.journal.MemoryJournal;
import dev.keel.core.marketdata.BrokerQuoteSource;
import dev.keel.core.marketdata.MarketDataPolicy;
import dev.keel.core.marketdata.QuoteChain;
import dev.keel.core.marketdata.QuoteSource;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.OperationParams;
import dev.keel.core.model.OperationType;
import dev.keel.core.ops.OperationOutcome;
import dev.keel.core.ops.WatchReport;
import dev.keel.core.model.TradingState;
import dev.keel.core.notify.Notification;
import dev.keel.core.notify.NotificationChannel;
import dev.keel.core.notify.Outbox;
import dev.keel.core.rebalance.ProgressListener;
import dev.keel.core.rebalance.RebalanceAccount;
import dev.keel.core.rebalance.TargetAllocation;
import dev.keel.core.risk.RiskLimits;
import dev.keel.core.time.ManualClock;
import dev.keel.paper.ExchangeOrderLogEntry;
import dev.keel.paper.FaultRecord;
import dev.keel.paper.FillMode;
import dev.keel.paper.PaperConfig;
import dev.keel.paper.PaperExchange;
import dev.keel.paper.PaperMarketData;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Runs one {@link Scenario} on simulated time: the real engine over an in-memory journal and paper exchanges, dying
 * where the scenario says and restarting from the journal alone while the exchanges keep their state. A scenario
 * that covers an hour of backoff runs in milliseconds, and the same scenario gives the same history, byte for byte.
 */
final class Simulation {
    /** The executor's settings in every run: 4 attempts, 1 s doubling, 2 s grace, 2 min fill timeout. */
    static final ExecutionSettings SETTINGS = ExecutionSettings.defaults();
    /** The outlier bound in every run: 25 %, above the ±20 % of an ordinary price move, below a wild jump. */
    static final BigDecimal OUTLIER = new BigDecimal("0.25");
    /** How far the paper feed's delayed quotes lag: 15 min. */
    static final Duration DELAY = Duration.ofMinutes(15);
    /** Each market-data source's maximum quote age, in the order the chain asks them: live, delayed, last close. */
    static final Map<String, Duration> MAX_AGE = marketDataAges();
    /** The broker policies in every run: the defaults (breakers, retry budget, bulkhead; no rate limit). */
    static final ResiliencePolicies RESILIENCE = ResiliencePolicies.builder().retry(SETTINGS.retry()).build();
    /** Restarts that a run may need before giving up on its recovery loop (crash steps are few; this is a fuse). */
    private static final int MAX_RESTARTS = 50;
    /** Rounds of protection watch passes after the final recovery, at most, until one finds nothing to do. */
    private static final int FINAL_WATCH_ROUNDS = 30;
    /**
     * Time between the final watch passes: longer than any lookup lag a scenario draws (the
     * visibility grace, 2 s), so a pass sees the
     * fills of orders placed in the instant the work ended (simulated time stands still between steps otherwise).
     */
    private static final Duration WATCH_INTERVAL = Duration.ofSeconds(5);
    private static final long SCHEDULER_STREAM = 0x7363686564756C65L;

    private final Scenario scenario;
    private final ManualClock clock;
    private final CrashPlan crashes;
    private final MemoryJournal store = new MemoryJournal();
    private final Map<String, PaperExchange> exchanges = new LinkedHashMap<>();
    private final List<WireCall> wire = new ArrayList<>();
    private final List<String> trace = new ArrayList<>();
    /**
     * Accounts whose operation a caller of a concurrent step left in progress (its journal append refused): after the
     * step, a watch pass runs for each, as the scheduler's next pass would (seed 2383096: a bracket's filled entry
     * stood unprotected for minutes because nothing resumed it until the next engine started).
     */
    private final java.util.Set<String> watchAfter = new java.util.LinkedHashSet<>();
    private final SplittableRandom random;
    private int epoch;
    private int journalFailures;
    private final Map<String, Integer> refused = new java.util.TreeMap<>();
    /** Orders the callers of concurrent steps; drawn from a stream of its own, used by nothing else. */
    private final Scheduler scheduler;
    /** The accounts' leases, shared by every engine process of the scenario (the cross-process lease). */
    private final SimLeases leases;
    /** Each engine's process, so a crash in one caller kills the callers of the same engine only. */
    private final Map<Engine, SimProcess> processes = new java.util.IdentityHashMap<>();
    /** What the run itself saw break (an exception that reached a caller, an outcome the journal never heard of). */
    private final List<Violation> findings = new ArrayList<>();
    private final Map<String, AccountSnapshot> initial = new LinkedHashMap<>();
    /** Raises and escalates alerts as keel serve would; null for a scenario without alerting. */
    private final SimEscalator escalator;
    /** Each engine's outbox, for the escalator of the engine that runs the scenario. */
    private final Map<Engine, Outbox> outboxes = new java.util.IdentityHashMap<>();

    private Simulation(Scenario scenario) {
        this.scenario = scenario;
        this.clock = new ManualClock(scenario.start());
        this.crashes = new CrashPlan(scenario.crashSteps(), scenario.journalFailures());
        this.random = new SplittableRandom(scenario.seed() * 31 + 7);
        this.scheduler = new Scheduler(new SplittableRandom(scenario.seed() ^ SCHEDULER_STREAM), clock);
        this.leases = new SimLeases(clock, scheduler, store);
        for (Scenario.AccountSetup a : scenario.accounts()) {
            exchanges.put(a.id(), new PaperExchange(paper(a), clock, clock));
        }
        this.escalator = scenario.alerting() == null ? null : new SimEscalator(scenario.alerting(), scenario.seed(),
                store, clock, PlantedBug.hooks(scenario.plantedBugs()), trace);
    }

    /**
     * Runs the scenario. One that throws (an exception the engine let reach its caller, a stuck scheduler) is a
     * finding of rule {@value HistoryChecker#CALLER_RULE}, and its history ends there: the final recovery and watch do
     * not run, and the checker judges nothing else of it (a history cut short breaks laws by construction).
     */
    static History run(Scenario scenario) {
        Simulation simulation = new Simulation(scenario);
        try {
            return simulation.run();
        } catch (RuntimeException | SimCrash | AssertionError e) {
            return simulation.threw(e);
        }
    }

    private History threw(Throwable e) {
        trace.add(clock.instant() + " the scenario threw " + e);
        findings.add(new Violation(scenario.seed(), HistoryChecker.CALLER_RULE, null, null, "the scenario threw "
                + e, stack(e)));
        return history(false, exchangeState());
    }

    private History run() {
        exchanges.forEach((id, x) -> initial.put(id, x.accountSnapshot(id)));
        Engine engine = start();
        java.util.ArrayDeque<Scenario.Step> work = new java.util.ArrayDeque<>(scenario.work());
        while (!work.isEmpty()) {
            Scenario.Step step = work.removeFirst();
            try {
                switch (step) {
                    case Scenario.Rebalance r -> told(engine.rebalance(r.accountId(), null, ProgressListener.NONE));
                    case Scenario.MovePrices m -> m.prices().forEach(exchanges.get(m.accountId())::setPrice);
                    case Scenario.AdvanceTime t -> clock.advance(t.duration());
                    case Scenario.Resume r -> resume(engine, r.accountId());
                    case Scenario.OperationStep o -> operate(engine, o);
                    case Scenario.Watch w -> watch(engine, w.accountId());
                    case Scenario.Halt h -> halt(engine, h);
                    case Scenario.Recover r -> engine = start();
                    case Scenario.Shutdown d -> engine = start();
                    case Scenario.Stall st -> { } // only callers meeting on an account stall one another
                    case Scenario.Concurrent c -> {
                        engine = concurrently(engine, c);
                        // as below for a lone command: the next watch pass recovers what a caller left in progress
                        watchAfter.forEach(a -> work.addFirst(new Scenario.Watch(a)));
                        watchAfter.clear();
                    }
                }
            } catch (SimCrash crash) {
                trace.add(clock.instant() + " " + crash.getMessage() + " during " + step);
                engine = start();
            } catch (KeelException e) {
                if (e.code() != ErrorCode.JOURNAL_WRITE_FAILED) {
                    throw e;
                }
                journalFailures++;
                trace.add(clock.instant() + " journal append refused during " + step + "; the engine carries on");
                if (step instanceof Scenario.OperationStep o) {
                    // The command failed; the scheduler's next watch pass (a deployment runs `keel ops watch` every
                    // minute) recovers the operation left in progress, so a bracket's filled entry gets its
                    // protection. Without it nothing resumes the bracket until the next command on the account.
                    work.addFirst(new Scenario.Watch(o.accountId()));
                }
            }
            if (escalator != null) {
                escalator.tick(); // keel serve's escalation pass, when its minute has come
            }
        }
        crashes.disarm();
        engine = start();
        finalWatch(engine);
        for (Scenario.AccountSetup a : scenario.accounts()) {
            reconcile(engine, a.id());
        }
        finalWatch(engine); // reconcile may have let time pass, and resting protective orders fill as it passes
        // The exchanges as the work left them: the escalation tail lets hours pass, in which resting orders would
        // fill with no engine watching; the checker judges the trading at the end of the work.
        ExchangeState exchangesAtEnd = exchangeState();
        if (escalator != null) {
            escalator.tail();
        }
        return history(true, exchangesAtEnd);
    }

    /** What the exchanges hold at one moment: accounts, order logs, faults fired. */
    private record ExchangeState(Map<String, AccountSnapshot> last, Map<String, List<ExchangeOrderLogEntry>> orders,
                                 List<FaultRecord> faults) {
    }

    private ExchangeState exchangeState() {
        Map<String, AccountSnapshot> last = new LinkedHashMap<>();
        exchanges.forEach((id, x) -> last.put(id, x.accountSnapshot(id)));
        Map<String, List<ExchangeOrderLogEntry>> orders = new LinkedHashMap<>();
        List<FaultRecord> faults = new ArrayList<>();
        exchanges.forEach((id, x) -> {
            orders.put(id, x.orderLog());
            faults.addAll(x.faultsFired());
        });
        return new ExchangeState(last, orders, faults);
    }

    private History history(boolean ranToEnd, ExchangeState x) {
        return new History(scenario, store.all(), x.orders(), wire, initial, x.last(), x.faults(), crashes.crashes(),
                journalFailures, SETTINGS.visibilityGrace(), trace, refused, findings, ranToEnd,
                escalator == null ? List.of() : escalator.passes());
    }

    /**
     * Runs the callers of a concurrent step, interleaved by the seed's scheduler, each on the scenario's engine or on
     * a second engine process started for the step over the same journal and exchanges. Returns the engine to go on
     * with: a new one, recovered, when a caller's crash killed the scenario's engine.
     */
    private Engine concurrently(Engine engine, Scenario.Concurrent step) {
        Engine second = step.callers().stream().anyMatch(c -> c.process() == 1) ? newEngine() : null;
        List<Scheduler.Actor> actors = new ArrayList<>();
        for (Scenario.Caller caller : step.callers()) {
            Engine e = caller.process() == 0 ? engine : second;
            SimProcess process = processes.get(e);
            String name = (actors.size() + 1) + ":" + caller.step().getClass().getSimpleName().toLowerCase(
                    java.util.Locale.ROOT) + "@engine-" + process.epoch();
            actors.add(new Scheduler.Actor(name, process, () -> call(e, name, caller.step())));
        }
        trace.add(clock.instant() + " concurrently on " + step.accountId() + ": "
                + actors.stream().map(Scheduler.Actor::name).toList() + ", lease timeout " + scenario.leaseTimeout());
        scheduler.run(actors);
        for (Engine e : second == null ? List.of(engine) : List.of(engine, second)) {
            SimProcess p = processes.get(e);
            for (var ended : p.endedAfterShutdown()) {
                if (ended.status() == dev.keel.core.model.TransactionStatus.NEEDS_REVIEW
                        && ended.errorCode() == ErrorCode.INTERNAL_ERROR) {
                    findings.add(new Violation(scenario.seed(), 6, ended.accountId(), ended.txId(), "engine "
                            + p.epoch() + " was shut down and closed the transaction NEEDS_REVIEW instead of leaving "
                            + "it in progress for recovery", List.of("journal: " + ended)));
                }
            }
            if (p.dead() || p.isShutDown()) {
                trace.add(clock.instant() + " engine " + p.epoch() + (p.dead() ? " died" : " was shut down")
                        + " in the concurrent step");
            }
        }
        SimProcess main = processes.get(engine);
        return main.dead() || main.isShutDown() ? start() : engine;
    }

    /**
     * One caller of a concurrent step. What the engine throws to a caller is judged here: a refused journal append
     * is counted as ever; ACCOUNT_LOCKED from a rebalance or an order operation is a finding (law 8: the engine's
     * answer to a lease that stays busy is a journaled ABORTED or FAILED transaction with its notification, finding 2
     * of issue 10) and from a watch pass a refusal (the next pass runs it); any other exception that reaches a caller
     * is a finding.
     */
    private void call(Engine engine, String name, Scenario.Step step) {
        try {
            switch (step) {
                case Scenario.Rebalance r -> {
                    var outcome = engine.rebalance(r.accountId(), null, ProgressListener.NONE);
                    trace.add(clock.instant() + " " + name + " on " + r.accountId() + ": " + outcome.txId() + " "
                            + outcome.status());
                    told(outcome);
                }
                case Scenario.Watch w -> watch(engine, w.accountId());
                case Scenario.OperationStep o -> operate(engine, o);
                case Scenario.Halt h -> halt(engine, h);
                case Scenario.Recover r -> {
                    var report = engine.recover();
                    trace.add(clock.instant() + " " + name + ": " + report.transactions());
                }
                case Scenario.Stall st -> stall(name, st.accountId());
                case Scenario.Shutdown d -> {
                    processes.get(engine).shutDown();
                    trace.add(clock.instant() + " " + name + ": engine " + processes.get(engine).epoch()
                            + " is shut down; its threads are interrupted");
                }
                default -> throw new IllegalArgumentException("not a caller's step: " + step);
            }
        } catch (SimCrash crash) {
            trace.add(clock.instant() + " " + name + " died: " + crash.getMessage());
            throw crash;
        } catch (KeelException e) {
            if (e.code() == ErrorCode.JOURNAL_WRITE_FAILED) {
                journalFailures++;
                trace.add(clock.instant() + " journal append refused during " + name + "; the engine carries on");
                if (step instanceof Scenario.OperationStep o) {
                    watchAfter.add(o.accountId());
                }
            } else if (e.code() == ErrorCode.LEASE_LOST) {
                // the caller stalled past its lease and another took the account: its write was fenced off, and the
                // work it left in progress is the new holder's to recover
                refused.merge(step.getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT) + ":"
                        + e.code(), 1, Integer::sum);
                trace.add(clock.instant() + " " + name + " lost the account's lease: " + e.getMessage());
            } else if (e.code() == ErrorCode.ACCOUNT_LOCKED && !(step instanceof Scenario.Rebalance)
                    && !(step instanceof Scenario.OperationStep)) {
                refused.merge(step.getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT) + ":"
                        + e.code(), 1, Integer::sum);
                trace.add(clock.instant() + " " + name + " refused: " + e.getMessage());
            } else {
                escaped(name, step, e, e.code() == ErrorCode.ACCOUNT_LOCKED ? 8 : HistoryChecker.CALLER_RULE);
            }
        } catch (RuntimeException e) {
            if (processes.get(engine).isShutDown() && e.getCause() instanceof InterruptedException) {
                trace.add(clock.instant() + " " + name + " stopped by the shutdown: " + e);
                return; // a process that is stopping may fail its callers; what it leaves behind is judged above
            }
            escaped(name, step, e, HistoryChecker.CALLER_RULE);
        }
    }

    private void escaped(String name, Scenario.Step step, RuntimeException e, int law) {
        trace.add(clock.instant() + " " + name + " threw " + e);
        findings.add(new Violation(scenario.seed(), law, accountOf(step), null, name + " threw " + e
                + " to its caller" + (law == 8 ? ": no ABORTED record, no notification" : ""), stack(e)));
    }

    private static String accountOf(Scenario.Step step) {
        return switch (step) {
            case Scenario.Rebalance r -> r.accountId();
            case Scenario.Watch w -> w.accountId();
            case Scenario.OperationStep o -> o.accountId();
            case Scenario.Halt h -> h.accountId();
            default -> null;
        };
    }

    /** Frames kept of a finding's exception: enough to reach the engine's caller through the gateway and broker. */
    private static final int STACK_FRAMES = 40;

    /** The first frames of an exception, for a finding's context. */
    static List<String> stack(Throwable e) {
        List<String> lines = new ArrayList<>();
        lines.add(e.toString());
        StackTraceElement[] frames = e.getStackTrace();
        for (int i = 0; i < Math.min(STACK_FRAMES, frames.length); i++) {
            lines.add("  at " + frames[i]);
        }
        return lines;
    }

    /**
     * Law 6 and 8 from the caller's side: an outcome names a transaction the journal holds (finding 4 of issue 10: a
     * failure before the transaction started was reported under an id the journal never heard of). A rebalance with
     * nothing to do has no transaction.
     */
    private void told(dev.keel.core.rebalance.RebalanceOutcome outcome) {
        if (outcome.txId() != null && store.stream(outcome.txId()).isEmpty()) {
            findings.add(new Violation(scenario.seed(), 6, null, outcome.txId(), "the caller was told "
                    + outcome.status() + " for a transaction the journal never heard of",
                    List.of(String.valueOf(outcome.notes()))));
        }
    }

    /** An operator halts the account ({@code keel account halt}), and may then resume it. */
    private void halt(Engine engine, Scenario.Halt step) {
        StateChange change = engine.halt(step.accountId(), "simulated operator: halt");
        trace.add(clock.instant() + " operator halt of " + step.accountId() + ": " + change.result() + " "
                + change.message());
        if (step.resume()) {
            resume(engine, step.accountId());
        }
    }

    /**
     * An operator's order operation ({@link OperatorRequest}). A request the engine refuses before journaling anything
     * (bad parameters, the broker unreadable, no order to modify) is counted and the run goes on.
     */
    private void operate(Engine engine, Scenario.OperationStep step) {
        OperatorRequest request = OperatorRequest.of(step, exchanges.get(step.accountId()),
                why -> trace.add(clock.instant() + " " + why));
        if (request == null) {
            return;
        }
        OperationType type = request.type();
        OperationParams params = request.params();
        try {
            OperationOutcome outcome = engine.operate(step.accountId(), type, params, null);
            trace.add(clock.instant() + " " + type + " on " + step.accountId() + ": " + outcome.txId() + " "
                    + outcome.state() + (outcome.message() == null ? "" : " (" + outcome.message() + ")"));
        } catch (SimCrash crash) {
            throw crash;
        } catch (KeelException e) {
            if (e.code() == ErrorCode.JOURNAL_WRITE_FAILED) {
                throw e;
            }
            refused.merge(type + ":" + e.code(), 1, Integer::sum);
            trace.add(clock.instant() + " " + type + " on " + step.accountId() + " refused: " + e.getMessage());
        }
    }

    private void watch(Engine engine, String accountId) {
        WatchReport report = engine.watch(accountId);
        if (!report.quiet() || report.note() != null) {
            trace.add(clock.instant() + " watch of " + accountId + ": " + report);
        }
    }

    /**
     * The protection watch after the final recovery, as a scheduler runs it: rounds of one pass per account, a few
     * seconds apart, until a round in which no pass found anything to do or stopped short (the broker unreadable,
     * a cancel that failed). Every account is watched in the same round, because time is shared: a resting
     * protective order of one account may fill while another account's pass lets time pass. The exchanges' faults
     * stay on, so this takes a few rounds now and then.
     */
    private void finalWatch(Engine engine) {
        for (int round = 1; round <= FINAL_WATCH_ROUNDS; round++) {
            clock.advance(WATCH_INTERVAL);
            boolean quiet = true;
            for (Scenario.AccountSetup a : scenario.accounts()) {
                try {
                    WatchReport report = engine.watch(a.id());
                    if (!report.quiet() || report.note() != null) {
                        quiet = false;
                        trace.add(clock.instant() + " final watch of " + a.id() + ": " + report);
                    }
                } catch (KeelException e) {
                    quiet = false;
                    trace.add(clock.instant() + " final watch of " + a.id() + " failed: " + e.getMessage());
                }
            }
            if (quiet) {
                return;
            }
        }
        trace.add(clock.instant() + " the final watch found work in each of " + FINAL_WATCH_ROUNDS + " rounds");
    }

    /**
     * What an operator (or a scheduled job) does after a run: {@code keel reconcile}. The exchange's faults stay on,
     * so a read may fail; it is tried again a minute later, as often as it takes within reason.
     */
    private void reconcile(Engine engine, String accountId) {
        for (int attempt = 1; attempt <= 20; attempt++) {
            try {
                if (!engine.reconcile(accountId).agrees()) {
                    trace.add(clock.instant() + " reconcile found " + accountId + " out of step with the journal");
                }
                return;
            } catch (dev.keel.core.broker.BrokerException e) {
                trace.add(clock.instant() + " reconcile of " + accountId + " could not read the broker: " + e.code());
                clock.advance(Duration.ofMinutes(1));
            }
        }
    }

    /** How many scheduling points a stall waits for someone to hold the account before it gives up. */
    private static final int STALL_PATIENCE = 20;

    /** The account's holder stalls past its lease, whenever one holds it within a few scheduling points. */
    private void stall(String name, String accountId) {
        for (int i = 0; i < STALL_PATIENCE; i++) {
            if (leases.revoke(accountId)) {
                trace.add(clock.instant() + " " + name + ": the holder of " + accountId + "'s lease stalls past it;"
                        + " the lease is free for others");
                return;
            }
            scheduler.point();
        }
        trace.add(clock.instant() + " " + name + ": no one held " + accountId + "'s lease to stall");
    }

    /**
     * Law 13 across processes: an append of an account's work by a caller whose lease was taken over must have been
     * refused (fencing); one that landed is a finding.
     */
    private void staleWrite(SimProcess process, List<? extends dev.keel.core.journal.JournalEvent> events) {
        for (dev.keel.core.journal.JournalEvent e : events) {
            boolean work = e instanceof dev.keel.core.journal.TransactionEvent
                    || e instanceof dev.keel.core.journal.AccountEvent;
            if (work && leases.staleWriter(process, e.accountId())) {
                findings.add(new Violation(scenario.seed(), 13, e.accountId(), null, "a caller whose lease on "
                        + e.accountId() + " was taken over wrote " + e.getClass().getSimpleName() + " after it: the"
                        + " journal did not fence it off", List.of("journal: " + e)));
                return;
            }
        }
    }

    /** An operator reviews the account and, if Keel halted it, resumes it; a refusal is left for a later look. */
    private void resume(Engine engine, String accountId) {
        if (engine.status(accountId).state() != TradingState.HALTED) {
            return;
        }
        StateChange change = engine.resume(accountId, "simulated operator: reviewed the account");
        trace.add(clock.instant() + " operator resume of " + accountId + ": " + change.result() + " "
                + change.message());
    }

    /** A new engine process: fresh memory, the same journal and exchanges; recovers before doing anything else. */
    private Engine start() {
        for (int attempt = 0; attempt < MAX_RESTARTS; attempt++) {
            Engine engine = newEngine();
            try {
                engine.recover();
                if (escalator != null) {
                    escalator.started(processes.get(engine), outboxes.get(engine));
                }
                return engine;
            } catch (SimCrash crash) {
                trace.add(clock.instant() + " " + crash.getMessage() + " during recovery");
            } catch (KeelException e) {
                if (e.code() != ErrorCode.JOURNAL_WRITE_FAILED) {
                    throw e;
                }
                journalFailures++;
                trace.add(clock.instant() + " journal append refused during recovery; restarting");
            }
        }
        throw new IllegalStateException("seed " + scenario.seed() + ": recovery did not finish in "
                + MAX_RESTARTS + " restarts");
    }

    private Engine newEngine() {
        epoch++;
        trace.add(clock.instant() + " engine " + epoch + " starts");
        SimProcess process = new SimProcess(epoch);
        SimSleeper sleeper = new SimSleeper(clock, scheduler, process);
        CrashingJournal journal = new CrashingJournal(store, crashes, process, scheduler,
                written -> staleWrite(process, written));
        ExecutionSettings settings = SETTINGS.withHooks(PlantedBug.hooks(scenario.plantedBugs()));
        List<AccountRuntime> accounts = new ArrayList<>();
        for (Scenario.AccountSetup a : scenario.accounts()) {
            RecordingBroker broker = new RecordingBroker(exchanges.get(a.id()), a.id(), clock, crashes, wire,
                    store::lastSequence, process, scheduler);
            // each account has its own exchange, so its own broker: breakers, retry budget and bulkhead as a
            // configuration without a resilience section has them; broker events go straight to the store so they
            // do not move the crash steps
            BrokerResilience resilience = new BrokerResilience("paper-" + a.id(), RESILIENCE, store, null, clock,
                    sleeper);
            BrokerGateway gateway = resilience.gateway(a.id(), broker, random.split());
            OrderExecutor executor = new OrderExecutor(gateway, settings, clock, sleeper, random.split());
            accounts.add(new AccountRuntime(new RebalanceAccount(a.id(), target(a), RiskLimits.builder()
                    .maxTurnover(new BigDecimal("2.00")).maxOrder(new BigDecimal("1000000.00")).build()), executor,
                    PlacementBreaker.of(gateway.breaker()), marketData(a, gateway)));
        }
        // Sends on the scenario's own thread, unbounded: a real-time bound would make a run depend on the machine.
        Outbox.Builder outboxBuilder = Outbox.builder(journal, clock, random.split())
                .channel(new FlakyChannel(random.split(), scenario.notifyFailure())).sendTimeout(Duration.ZERO);
        if (escalator != null) {
            outboxBuilder.firstSendEvents(escalator.raising()); // the outbox raises alerts, as keel serve's does
        }
        Outbox outbox = outboxBuilder.build();
        int e = epoch;
        int[] counter = {0};
        Engine engine = new Engine(journal, accounts, outbox, clock, () -> "tx" + e + "-" + (++counter[0]),
                scenario.leaseTimeout(), leases.of(process), new SimSideBySide(scheduler, process));
        processes.put(engine, process);
        outboxes.put(engine, outbox);
        return engine;
    }

    /**
     * The account's quote chain, fresh in every engine (so a restart forgets the last good prices): the broker's
     * live quotes, then as many of the paper feed's delayed quotes and last close as the scenario says, those
     * recorded on the wire too. Without the last close there may be no reference price at all.
     */
    private QuoteChain marketData(Scenario.AccountSetup a, BrokerGateway gateway) {
        PaperMarketData feed = exchanges.get(a.id()).marketData();
        QuoteChain.Builder chain = QuoteChain.builder(clock)
                .policy(MarketDataPolicy.builder().outlier(OUTLIER).allowDegraded(a.allowDegraded())
                        .session(feed.session()).build())
                .hooks(PlantedBug.hooks(scenario.plantedBugs()))
                .source(new BrokerQuoteSource(gateway), MAX_AGE.get(BrokerQuoteSource.NAME));
        List<QuoteSource> fallbacks = List.of(feed.delayed(DELAY), feed.lastClose());
        for (QuoteSource fallback : fallbacks.subList(0, a.fallbacks())) {
            chain.source(new RecordingQuoteSource(fallback, a.id(), clock, wire, store::lastSequence),
                    MAX_AGE.get(fallback.name()));
        }
        return chain.build();
    }

    private static Map<String, Duration> marketDataAges() {
        Map<String, Duration> ages = new LinkedHashMap<>();
        ages.put(BrokerQuoteSource.NAME, MarketDataPolicy.DEFAULT_LIVE_MAX_AGE);
        ages.put(PaperMarketData.DELAYED, MarketDataPolicy.DEFAULT_DELAYED_MAX_AGE);
        ages.put(PaperMarketData.LAST_CLOSE, MarketDataPolicy.DEFAULT_LAST_CLOSE_MAX_AGE);
        return java.util.Collections.unmodifiableMap(ages);
    }

    private static TargetAllocation target(Scenario.AccountSetup a) {
        return TargetAllocation.builder().weights(a.targets()).driftThreshold(a.driftThreshold())
                .minTrade(a.minTrade()).cashBuffer(a.cashBuffer()).build();
    }

    private static PaperConfig paper(Scenario.AccountSetup a) {
        PaperConfig.Builder b = PaperConfig.builder()
                .seed(a.exchangeSeed())
                .startingCash(a.cash())
                .startingPositions(a.positions())
                .prices(a.prices())
                .spreadBps(new BigDecimal("2"))
                .lookupVisibilityLag(a.visibilityLag())
                .faults(a.faults())
                .orderClasses(a.orderClasses());
        if (a.delayedFill() != null) {
            b.fillMode(FillMode.delayed(a.delayedFill()));
        }
        return b.build();
    }

    /** A notification channel that fails a seeded share of deliveries: a failing channel never fails the trade. */
    private static final class FlakyChannel implements NotificationChannel {
        private final SplittableRandom random;
        private final double failure;

        FlakyChannel(SplittableRandom random, double failure) {
            this.random = random;
            this.failure = failure;
        }

        @Override
        public String name() {
            return "sim";
        }

        @Override
        public void send(Notification n) {
            if (random.nextDouble() < failure) {
                throw new IllegalStateException("simulated channel outage");
            }
        }
    }
}

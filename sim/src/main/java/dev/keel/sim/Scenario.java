package dev.keel.sim;

import dev.keel.core.model.Symbol;
import dev.keel.paper.FaultRule;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything one simulated run does, drawn from one seed: the accounts and their exchanges, the work, where the
 * engine dies and where the disk fills up. Same scenario, same history.
 *
 * @param crashSteps      steps (journal appends and broker calls, counted) at which the engine dies
 * @param journalFailures steps at which a journal append fails and the engine lives on
 * @param notifyFailure   the chance that the notification channel fails one delivery
 * @param plantedBugs     bugs planted on purpose, to show the checker finds them; empty for real runs
 * @param leaseTimeout    how long an engine waits for an account's lease (simulated time); waits happen only in
 *                        {@link Concurrent} steps
 * @param alerting        how alerts are raised and escalated, by whom and how often; null for none (a scenario built
 *                        by hand): then the outbox raises no alert and nothing escalates
 */
record Scenario(long seed, Instant start, List<AccountSetup> accounts, List<Step> work, TreeSet<Long> crashSteps,
                TreeSet<Long> journalFailures, double notifyFailure, Set<PlantedBug> plantedBugs,
                Duration leaseTimeout, SimAlerting alerting) {
    /** The lease timeout of a scenario that does not choose one: 30 s. */
    static final Duration DEFAULT_LEASE_TIMEOUT = Duration.ofSeconds(30);

    /** A scenario with the {@linkplain #DEFAULT_LEASE_TIMEOUT default lease timeout}. */
    Scenario(long seed, Instant start, List<AccountSetup> accounts, List<Step> work, TreeSet<Long> crashSteps,
             TreeSet<Long> journalFailures, double notifyFailure, Set<PlantedBug> plantedBugs) {
        this(seed, start, accounts, work, crashSteps, journalFailures, notifyFailure, plantedBugs,
                DEFAULT_LEASE_TIMEOUT, null);
    }

    /**
     * One account and its exchange.
     *
     * @param exchangeSeed  the exchange's own seed (prices, fault draws)
     * @param visibilityLag how long a new order stays invisible to lookups
     * @param delayedFill   how long fills take, or null for immediate fills
     * @param fallbacks     how many of the paper feed's sources back the live quotes: 0, 1 (delayed) or 2 (and the
     *                      last close)
     * @param allowDegraded whether a quote that passed only on a fallback market-data source may size an order
     * @param orderClasses  whether the exchange holds OCO pairs itself; when false Keel emulates them and a sell may
     *                      take the position short, so both legs of a pair can fill
     */
    record AccountSetup(String id, long exchangeSeed, BigDecimal cash, Map<Symbol, BigDecimal> positions,
                        Map<Symbol, BigDecimal> prices, Map<Symbol, BigDecimal> targets, BigDecimal driftThreshold,
                        BigDecimal minTrade, BigDecimal cashBuffer, List<FaultRule> faults, Duration visibilityLag,
                        Duration delayedFill, int fallbacks, boolean allowDegraded, boolean orderClasses) {
    }

    /** One piece of work. */
    sealed interface Step permits Rebalance, MovePrices, AdvanceTime, Resume, OperationStep, Watch, Halt, Recover,
            Shutdown, Stall, Concurrent {
    }

    /** A step that runs an order operation on one account. */
    sealed interface OperationStep extends Step permits Bracket, Oco, Modify, Close, CancelAll {
        String accountId();
    }

    /** Rebalance an account. */
    record Rebalance(String accountId) implements Step {
    }

    /** The market moves: new mid prices at one account's exchange, now and then one of them a wild jump. */
    record MovePrices(String accountId, Map<Symbol, BigDecimal> prices) implements Step {
    }

    /** Time passes (delayed fills land, breakers half-open). */
    record AdvanceTime(Duration duration) implements Step {
    }

    /** An operator looks at the account and, if it is HALTED, resumes it ({@code keel account resume}). */
    record Resume(String accountId) implements Step {
    }

    /**
     * A bracket order: buy {@code quantity} at market ({@code entryOffset} null) or at a limit {@code entryOffset}
     * from the mid, protected by a stop {@code stopOffset} below and a target {@code targetOffset} above the mid at
     * run time (fractions of the mid), the stop a stop-limit {@code stopLimitOffset} further below when not null.
     */
    record Bracket(String accountId, Symbol symbol, BigDecimal quantity, BigDecimal entryOffset,
                   BigDecimal stopOffset, BigDecimal stopLimitOffset, BigDecimal targetOffset)
            implements OperationStep {
    }

    /** An OCO pair protecting {@code fraction} of the shares held at run time, stop and target as offsets. */
    record Oco(String accountId, Symbol symbol, BigDecimal fraction, BigDecimal stopOffset,
               BigDecimal stopLimitOffset, BigDecimal targetOffset) implements OperationStep {
    }

    /**
     * Modify the {@code pick}-th (modulo their number) of the account's working orders at the exchange, by client
     * order id: its stop and limit moved to {@code priceOffset} from the mid (below for a stop or a buy, above for a
     * sell limit), its quantity scaled by {@code quantityFactor} when not null.
     */
    record Modify(String accountId, int pick, BigDecimal priceOffset, BigDecimal quantityFactor)
            implements OperationStep {
    }

    /** Close the whole position in {@code symbol}. */
    record Close(String accountId, Symbol symbol) implements OperationStep {
    }

    /** Cancel every working order of the account. */
    record CancelAll(String accountId) implements OperationStep {
    }

    /** One pass of the protection watch over the account ({@code keel ops watch}). */
    record Watch(String accountId) implements Step {
    }

    /**
     * An operator halts the account ({@code keel account halt}) and, when {@code resume}, then looks at it and resumes
     * it if it is still HALTED.
     */
    record Halt(String accountId, boolean resume) implements Step {
    }

    /** An engine process starts over the journal and recovers what it finds in progress ({@code keel recover}). */
    record Recover() implements Step {
    }

    /**
     * The engine process is stopped cleanly (SIGTERM): its threads are interrupted. What it was doing must stay in
     * progress for the next process to recover; only inside a {@link Concurrent} step.
     */
    record Shutdown() implements Step {
    }

    /**
     * Whoever holds the account's lease stalls past it (a long GC pause, a dropped database connection): the lease is
     * free for the other callers while the stalled one goes on unaware; its writes must be refused (fencing). Only
     * inside a {@link Concurrent} step.
     */
    record Stall(String accountId) implements Step {
    }

    /**
     * Several callers meet on one account at once, interleaved by the seed's {@link Scheduler}: a rebalance, a
     * recovery by a second process starting, a protection watch pass, an operator's halt, an order operation.
     */
    record Concurrent(String accountId, List<Caller> callers) implements Step {
        Concurrent {
            callers = List.copyOf(callers);
        }
    }

    /**
     * One caller of a {@link Concurrent} step.
     *
     * @param process 0 for the engine that runs the scenario, 1 for a second engine process over the same journal
     *                and exchanges, started for the step (the two meet on the account through the shared lease)
     */
    record Caller(int process, Step step) {
    }

    Scenario withPlantedBugs(Set<PlantedBug> bugs) {
        return new Scenario(seed, start, accounts, work, crashSteps, journalFailures, notifyFailure, bugs,
                leaseTimeout, alerting);
    }
}

package dev.keel.sim;

import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.PlanInputsRecorded;
import dev.keel.core.journal.TradingStateChanged;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.paper.FaultRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * Runs many seeded scenarios and checks each history: the entry point of {@code keel sim} and of the CI suite.
 * Scenarios are independent and deterministic, so they run in parallel and the summary does not depend on order.
 */
public final class SimRunner {
    private SimRunner() {
    }

    /**
     * What to run.
     *
     * @param from        the first seed
     * @param seeds       how many seeds, or with {@code soak} the most to run
     * @param maxAccounts each scenario has 1 to this many accounts (at most 20)
     * @param soak        run until this much wall time has passed, or null to run {@code seeds} seeds
     * @param threads     scenarios run at once
     * @param plantedBugs bugs planted on purpose (checker tests); empty for real runs
     * @param concurrency whether scenarios may have concurrent steps (callers meeting on one account, interleaved by
     *                    the seed); off, every seed runs as it did before they existed
     */
    public record Options(long from, long seeds, int maxAccounts, Duration soak, int threads,
                          Set<PlantedBug> plantedBugs, boolean concurrency) {
        public Options {
            if (seeds < 1) {
                throw new IllegalArgumentException("seeds must be at least 1, but was " + seeds);
            }
            if (maxAccounts < 1 || maxAccounts > 20) {
                throw new IllegalArgumentException("maxAccounts must be between 1 and 20, but was " + maxAccounts);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, but was " + threads);
            }
            plantedBugs = Set.copyOf(plantedBugs);
        }

        /** Options with concurrent steps, as {@code keel sim} runs them. */
        public Options(long from, long seeds, int maxAccounts, Duration soak, int threads,
                       Set<PlantedBug> plantedBugs) {
            this(from, seeds, maxAccounts, soak, threads, plantedBugs, true);
        }

        public static Options of(long from, long seeds) {
            return new Options(from, seeds, 20, null, Runtime.getRuntime().availableProcessors(), Set.of());
        }

        /** The same options with concurrent steps on or off. */
        public Options withConcurrency(boolean on) {
            return new Options(from, seeds, maxAccounts, soak, threads, plantedBugs, on);
        }
    }

    /**
     * One scenario's result.
     *
     * @param outcomes   transactions by terminal state
     * @param faults     faults the exchanges injected, by kind
     * @param moves      trading-state moves by {@code FROM->TO}
     * @param marketData planned quotes by trust ({@code trusted}, {@code degraded}, {@code untrusted}) and failed
     *                   checks by kind ({@code check:stale}, {@code check:outlier}...)
     * @param operations order operations by {@code TYPE STATE} (their last operation state), and those refused
     *                   before anything was journaled by {@code TYPE refused:CODE}
     * @param alerts     alerts raised by severity ({@code raised SEVERITY}), escalations by tier ({@code escalated
     *                   to tier N}), {@code acknowledged}, {@code resolved}, alerts that reached their severity's last
     *                   tier ({@code last tier reached SEVERITY}), and {@code raced passes}
     */
    public record Result(long seed, int accounts, List<Violation> violations, Map<String, Integer> outcomes,
                         Map<String, Integer> faults, int crashes, int journalFailures, Map<String, Integer> moves,
                         Map<String, Integer> marketData, Map<String, Integer> operations,
                         Map<String, Integer> alerts) {
    }

    /** Hears each finished scenario, for a progress display. */
    @FunctionalInterface
    public interface Listener {
        void finished(Result result, long done);
    }

    /**
     * The whole run.
     *
     * @param moves              trading-state moves by {@code FROM->TO}
     * @param scenariosPerMinute measured on this machine's wall clock
     * @param operations         order operations by {@code TYPE STATE}, and refusals by {@code TYPE refused:CODE}
     * @param alerts             alerts raised, escalated, acknowledged and resolved ({@link Result#alerts})
     */
    public record Summary(long scenarios, long firstSeed, Map<String, Long> faults, long crashes,
                          long journalFailures, Map<String, Long> outcomes, Map<String, Long> moves,
                          List<Violation> violations, long elapsedMillis, long scenariosPerMinute,
                          Map<String, Long> marketData, Map<String, Long> operations, Map<String, Long> alerts) {
        public boolean passed() {
            return violations.isEmpty();
        }

        /** The seeds that broke a law, each once, in order. */
        public List<Long> failingSeeds() {
            return violations.stream().map(Violation::seed).distinct().sorted().toList();
        }
    }

    /**
     * Runs one scenario and checks it. A scenario that throws is a finding of rule
     * {@value HistoryChecker#CALLER_RULE} with the exception, never an end of the whole run.
     */
    public static Result runOne(long seed, int maxAccounts, Set<PlantedBug> plantedBugs) {
        return runOne(seed, maxAccounts, s -> ScenarioGenerator.generate(s, maxAccounts, true)
                .withPlantedBugs(plantedBugs));
    }

    private static Result runOne(long seed, int maxAccounts, LongFunction<Scenario> scenarios) {
        try {
            return result(scenarios.apply(seed));
        } catch (RuntimeException | AssertionError e) {
            // Simulation.run turns what a scenario throws into a finding; this is for the generator and the counting
            return new Result(seed, 0, List.of(new Violation(seed, HistoryChecker.CALLER_RULE, null, null,
                    "the scenario could not be run: " + e, Simulation.stack(e))), Map.of(), Map.of(), 0, 0, Map.of(),
                    Map.of(), Map.of(), Map.of());
        }
    }

    private static Result result(Scenario scenario) {
        long seed = scenario.seed();
        History history = Simulation.run(scenario);
        List<Violation> violations = HistoryChecker.check(history);
        Map<String, Integer> outcomes = new TreeMap<>();
        Map<String, Integer> moves = new TreeMap<>();
        for (JournalRecord r : history.journal()) {
            if (r.event() instanceof TransactionEnded e) {
                outcomes.merge(e.status().name(), 1, Integer::sum);
            }
            if (r.event() instanceof TradingStateChanged c) {
                moves.merge(c.from() + "->" + c.to(), 1, Integer::sum);
            }
        }
        Map<String, Integer> faults = new TreeMap<>();
        for (FaultRecord f : history.faults()) {
            faults.merge(f.kind().wire(), 1, Integer::sum);
        }
        return new Result(seed, scenario.accounts().size(), violations, outcomes, faults, history.crashes(),
                history.journalFailures(), moves, marketData(history), operations(history), alerts(history));
    }

    /** What the alerts went through: raised, escalated by tier, acknowledged, resolved, last tiers reached. */
    private static Map<String, Integer> alerts(History history) {
        Map<String, Integer> counts = new TreeMap<>();
        if (history.scenario().alerting() == null) {
            return counts;
        }
        var policy = history.scenario().alerting().policy();
        Map<String, dev.keel.core.error.Severity> severities = new java.util.HashMap<>();
        for (JournalRecord r : history.journal()) {
            switch (r.event()) {
                case dev.keel.core.journal.AlertRaised a -> {
                    if (severities.putIfAbsent(a.alertId(), a.severity()) == null) {
                        counts.merge("raised " + a.severity(), 1, Integer::sum);
                    }
                }
                case dev.keel.core.journal.AlertEscalated e -> {
                    counts.merge("escalated to tier " + e.tier(), 1, Integer::sum);
                    var severity = severities.get(e.alertId());
                    if (severity != null && e.tier() == policy.tiersOf(severity).size()) {
                        counts.merge("last tier reached " + severity, 1, Integer::sum);
                    }
                }
                case dev.keel.core.journal.AlertAcknowledged k -> counts.merge("acknowledged", 1, Integer::sum);
                case dev.keel.core.journal.AlertResolved k -> counts.merge("resolved", 1, Integer::sum);
                default -> {
                }
            }
        }
        long raced = history.alertPasses().stream().filter(SimEscalator.Pass::raced).count();
        if (raced > 0) {
            counts.put("raced passes", (int) raced);
        }
        return counts;
    }

    /** Order operations by type and the state each ended in (its last move), and the refused requests. */
    private static Map<String, Integer> operations(History history) {
        Map<String, dev.keel.core.model.OperationType> types = new java.util.HashMap<>();
        Map<String, dev.keel.core.model.OperationState> states = new java.util.LinkedHashMap<>();
        for (JournalRecord r : history.journal()) {
            if (r.event() instanceof dev.keel.core.journal.OperationRequested q) {
                types.put(q.txId(), q.type());
            }
            if (r.event() instanceof dev.keel.core.journal.OperationStateChanged m) {
                states.put(m.txId(), m.to());
            }
        }
        Map<String, Integer> counts = new TreeMap<>();
        states.forEach((tx, state) -> counts.merge(types.get(tx) + " " + state, 1, Integer::sum));
        history.refused().forEach((k, v) -> counts.merge(k.replace(":", " refused:"), v, Integer::sum));
        return counts;
    }

    /** How the planned quotes were judged: by trust, and each failed check by kind. */
    private static Map<String, Integer> marketData(History history) {
        Map<String, Integer> counts = new TreeMap<>();
        for (JournalRecord r : history.journal()) {
            if (r.event() instanceof PlanInputsRecorded inputs) {
                for (PlanInputsRecorded.Price p : inputs.prices()) {
                    counts.merge(p.trust().name().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
                    for (String problem : p.problems()) {
                        String check = problem.substring(problem.indexOf(' ') + 1, problem.indexOf(':'));
                        counts.merge("check:" + check.toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
                    }
                }
            }
        }
        return counts;
    }

    public static Summary run(Options options, Listener listener) {
        return run(options, listener, s -> ScenarioGenerator.generate(s, options.maxAccounts(),
                options.concurrency()).withPlantedBugs(options.plantedBugs()));
    }

    /** {@link #run(Options, Listener)} over scenarios from {@code scenarios} (tests hand in scenarios that throw). */
    static Summary run(Options options, Listener listener, LongFunction<Scenario> scenarios) {
        long began = System.nanoTime();
        long deadline = options.soak() == null ? Long.MAX_VALUE : began + options.soak().toNanos();
        AtomicLong next = new AtomicLong(options.from());
        long end = options.from() + options.seeds();
        AtomicLong done = new AtomicLong();
        List<Result> results = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(options.threads(), r -> {
            Thread t = new Thread(r, "keel-sim");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < options.threads(); i++) {
                workers.add(pool.submit(() -> {
                    long seed;
                    while ((seed = next.getAndIncrement()) < end && System.nanoTime() < deadline) {
                        Result result = runOne(seed, options.maxAccounts(), scenarios);
                        results.add(result);
                        listener.finished(result, done.incrementAndGet());
                    }
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("simulation interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a scenario failed to run: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return summarize(options, results, (System.nanoTime() - began) / 1_000_000);
    }

    private static Summary summarize(Options options, List<Result> results, long elapsedMillis) {
        Map<String, Long> faults = new TreeMap<>();
        Map<String, Long> outcomes = new TreeMap<>();
        Map<String, Long> moves = new TreeMap<>();
        Map<String, Long> marketData = new TreeMap<>();
        Map<String, Long> operations = new TreeMap<>();
        Map<String, Long> alerts = new TreeMap<>();
        List<Violation> violations = new ArrayList<>();
        long crashes = 0;
        long journalFailures = 0;
        for (Result r : results) {
            r.faults().forEach((k, v) -> faults.merge(k, (long) v, Long::sum));
            r.outcomes().forEach((k, v) -> outcomes.merge(k, (long) v, Long::sum));
            r.moves().forEach((k, v) -> moves.merge(k, (long) v, Long::sum));
            r.marketData().forEach((k, v) -> marketData.merge(k, (long) v, Long::sum));
            r.operations().forEach((k, v) -> operations.merge(k, (long) v, Long::sum));
            r.alerts().forEach((k, v) -> alerts.merge(k, (long) v, Long::sum));
            violations.addAll(r.violations());
            crashes += r.crashes();
            journalFailures += r.journalFailures();
        }
        violations.sort(Comparator.comparingLong(Violation::seed).thenComparingInt(Violation::law));
        long perMinute = elapsedMillis == 0 ? 0 : results.size() * 60_000L / elapsedMillis;
        return new Summary(results.size(), options.from(), faults, crashes, journalFailures, outcomes, moves,
                List.copyOf(violations), elapsedMillis, perMinute, marketData, operations, alerts);
    }

    /** The readable story of one seed: the scenario, the run's notable moments, the journal, the wire, the verdict. */
    public static List<String> trace(long seed, int maxAccounts, Set<PlantedBug> plantedBugs) {
        return trace(seed, maxAccounts, plantedBugs, true);
    }

    /** The story of one seed, with or without its concurrent steps. */
    public static List<String> trace(long seed, int maxAccounts, Set<PlantedBug> plantedBugs, boolean concurrency) {
        Scenario scenario = ScenarioGenerator.generate(seed, maxAccounts, concurrency).withPlantedBugs(plantedBugs);
        History history = Simulation.run(scenario);
        List<String> lines = new ArrayList<>();
        lines.add("seed " + seed + ": " + scenario.accounts().size() + " account(s), crash steps "
                + scenario.crashSteps() + ", journal failures at " + scenario.journalFailures()
                + (plantedBugs.isEmpty() ? "" : ", planted bugs " + plantedBugs));
        for (Scenario.AccountSetup a : scenario.accounts()) {
            lines.add("  " + a.id() + ": cash " + a.cash() + ", holdings " + a.positions() + ", targets " + a.targets()
                    + ", lag " + a.visibilityLag() + (a.delayedFill() == null ? "" : ", fills after " + a.delayedFill()));
            a.faults().forEach(f -> lines.add("    fault " + f));
        }
        lines.add("work: " + scenario.work());
        history.trace().forEach(t -> lines.add("run: " + t));
        history.journal().forEach(r -> lines.add("journal " + r.sequence() + ": " + r.event()));
        history.wire().forEach(w -> lines.add("wire: " + w));
        history.orders().forEach((account, orders) -> orders.forEach(o -> lines.add("exchange " + account + ": "
                + o)));
        List<Violation> violations = HistoryChecker.check(history);
        if (violations.isEmpty()) {
            lines.add("verdict: every law holds");
        }
        for (Violation v : violations) {
            lines.add("VIOLATION " + v.headline());
            v.context().forEach(c -> lines.add("    " + c));
        }
        return lines;
    }
}

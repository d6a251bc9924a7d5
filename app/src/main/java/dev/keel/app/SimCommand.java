package dev.keel.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.keel.sim.SimRunner;
import dev.keel.sim.Violation;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code keel sim}: runs seeded scenarios of the real engine against paper exchanges with faults and crash-restarts,
 * on simulated time, and checks every history against the laws.
 */
@Command(name = "sim", description = "Run seeded fault-and-crash scenarios on simulated time and check every "
        + "history against Keel's laws.")
final class SimCommand implements Callable<Integer> {
    /** Violations printed in full; the rest are counted. */
    static final int SHOWN = 10;

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "1000",
            description = "How many scenarios (default: ${DEFAULT-VALUE}).")
    long seeds;

    @Option(names = "--from", paramLabel = "S", defaultValue = "1", description = "The first seed (default: 1).")
    long from;

    @Option(names = "--minutes", paramLabel = "M",
            description = "Soak: run scenarios until M minutes have passed (--seeds then caps the count).")
    Long minutes;

    @Option(names = "--accounts", paramLabel = "K", defaultValue = "20",
            description = "At most K accounts per scenario, 1 to 20 (default: ${DEFAULT-VALUE}).")
    int accounts;

    @Option(names = "--threads", paramLabel = "T", description = "Scenarios run at once (default: one per core).")
    Integer threads;

    @Option(names = "--concurrency", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Concurrent steps in a third of the scenarios: callers meeting on one account, interleaved by "
                    + "the seed (default: on; --no-concurrency runs every seed as it ran before they existed).")
    boolean concurrency;

    @Option(names = "--trace", description = "Print the whole story of each seed: scenario, journal, wire, verdict.")
    boolean trace;

    @Mixin
    Options.Json json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (seeds < 1) {
            throw new ParameterException(spec.commandLine(), "--seeds: expected at least 1, but was " + seeds);
        }
        if (minutes != null && minutes < 1) {
            throw new ParameterException(spec.commandLine(), "--minutes: expected at least 1, but was " + minutes);
        }
        if (accounts < 1 || accounts > 20) {
            throw new ParameterException(spec.commandLine(), "--accounts: expected 1 to 20, but was " + accounts);
        }
        if (threads != null && threads < 1) {
            throw new ParameterException(spec.commandLine(), "--threads: expected at least 1, but was " + threads);
        }
        Output output = Output.of(spec, json.enabled());
        quietEngineLogs();
        if (trace) {
            boolean clean = true;
            for (long seed = from; seed < from + seeds; seed++) {
                for (String line : SimRunner.trace(seed, accounts, Set.of(), concurrency)) {
                    output.line(line);
                    clean &= !line.startsWith("VIOLATION");
                }
            }
            return clean ? ExitCodes.OK : ExitCodes.FAILED;
        }
        long count = minutes == null ? seeds : Math.max(seeds, Long.MAX_VALUE / 4);
        SimRunner.Options options = new SimRunner.Options(from, count, accounts,
                minutes == null ? null : Duration.ofMinutes(minutes),
                threads == null ? Runtime.getRuntime().availableProcessors() : threads, Set.of(), concurrency);
        ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), json.enabled(), minutes == null ? seeds : 0);
        SimRunner.Summary summary = SimRunner.run(options, (result, done) -> bar.update(done,
                result.violations().size()));
        bar.finish();
        output.result(summary, s -> print(output, s));
        return summary.passed() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private void print(Output output, SimRunner.Summary s) {
        output.line(s.scenarios() + " scenarios from seed " + s.firstSeed() + " in " + s.elapsedMillis() + " ms ("
                + s.scenariosPerMinute() + " a minute); " + s.crashes() + " crash-restarts, " + s.journalFailures()
                + " refused journal appends");
        Table faults = new Table("FAULT", "INJECTED");
        s.faults().forEach((k, v) -> faults.row(k, Long.toString(v)));
        output.table(faults);
        Table outcomes = new Table("TERMINAL STATE", "TRANSACTIONS");
        s.outcomes().forEach((k, v) -> outcomes.row(k, Long.toString(v)));
        output.table(outcomes);
        Table moves = new Table("TRADING STATE MOVE", "TIMES");
        s.moves().forEach((k, v) -> moves.row(k, Long.toString(v)));
        if (!moves.isEmpty()) {
            output.table(moves);
        }
        Table marketData = new Table("MARKET DATA", "QUOTES");
        s.marketData().forEach((k, v) -> marketData.row(k, Long.toString(v)));
        output.table(marketData);
        Table operations = new Table("OPERATION", "STATE", "TIMES");
        s.operations().forEach((k, v) -> operations.row(k.substring(0, k.indexOf(' ')), k.substring(k.indexOf(' ')
                + 1), Long.toString(v)));
        if (!operations.isEmpty()) {
            output.table(operations);
        }
        Table alerts = new Table("ALERTS", "TIMES");
        s.alerts().forEach((k, v) -> alerts.row(k, Long.toString(v)));
        if (!alerts.isEmpty()) {
            output.table(alerts);
        }
        if (s.passed()) {
            output.line("Every law held in every scenario.");
            return;
        }
        output.line(s.violations().size() + " violation(s) in " + s.failingSeeds().size() + " seed(s):");
        for (Violation v : s.violations().stream().limit(SHOWN).toList()) {
            output.line("  " + v.headline());
            output.line("    replay: ./keel sim --seeds 1 --from " + v.seed() + " --accounts " + accounts
                    + (concurrency ? "" : " --no-concurrency") + " --trace");
        }
        if (s.violations().size() > SHOWN) {
            output.line("  ... and " + (s.violations().size() - SHOWN) + " more; --json lists them all");
        }
    }

    /** Thousands of engines run here; their own logging would only slow the run and flood keel.log. */
    private static void quietEngineLogs() {
        if (LoggerFactory.getLogger("dev.keel.core") instanceof Logger logback) {
            logback.setLevel(Level.OFF);
        }
    }

    /** {@code [######......] 1200/2000 seeds, 0 violations} on stderr, redrawn in place; silent in JSON mode. */
    private static final class ProgressBar {
        private static final int WIDTH = 30;
        private final PrintWriter err;
        private final boolean silent;
        private final long total;
        private long violations;
        private long lastDrawn = -1;

        ProgressBar(PrintWriter err, boolean silent, long total) {
            this.err = err;
            this.silent = silent;
            this.total = total;
        }

        synchronized void update(long done, int newViolations) {
            violations += newViolations;
            if (silent || done - lastDrawn < Math.max(1, total / 200) && done != total) {
                return;
            }
            lastDrawn = done;
            String bar = "";
            if (total > 0) {
                int filled = (int) (WIDTH * done / total);
                bar = "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + done + "/" + total;
            } else {
                bar = "[soak] " + done;
            }
            err.print("\r" + bar + " seeds, " + violations + " violation(s)");
            err.flush();
        }

        void finish() {
            if (!silent && lastDrawn >= 0) {
                err.println();
                err.flush();
            }
        }
    }
}

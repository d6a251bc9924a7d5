package dev.keel.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keel.app.config.AccountConfig;
import dev.keel.app.config.FaultSettings;
import dev.keel.app.config.KeelConfig;
import dev.keel.app.config.PaperSettings;
import dev.keel.app.runtime.KeelRuntime;
import dev.keel.core.rebalance.RebalanceOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code keel demo}: the All-Weather rebalance on the paper exchange with the built-in fault plan. */
@Command(name = "demo",
        description = "Rebalance the All-Weather demo portfolio on the paper exchange, faults included.")
final class DemoCommand implements Callable<Integer> {
    /** The files a demo run creates in its data directory, removed before each run so every run starts fresh. */
    static final List<String> DEMO_FILES = List.of("keel.db", "keel.db-wal", "keel.db-shm", "keel.db-journal",
            "paper.db", "paper.db-wal", "paper.db-shm", "paper.db-journal", "notifications.log");

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "keel-data/demo",
            description = "Where the demo keeps its journal, exchange state and notifications (default: "
                    + "${DEFAULT-VALUE}); its files there are reset on every run.")
    Path dataDir;

    @Option(names = "--scenario", paramLabel = "NAME", defaultValue = "all-weather",
            description = "all-weather (default): the rebalance with a lost answer, a rate limit and a rejection; "
                    + "outage: a broker outage ridden out with breaker, retry budget and trading states; "
                    + "bracket: a bracket and an OCO pair on a broker without OCO classes, kept whole by the "
                    + "protection watch; alpaca: the rebalance through the Alpaca adapter over HTTP against a paper "
                    + "server the demo starts, with a lost answer, a 429 and a cut trade_updates stream.")
    String scenario;

    /** Accepted for scripts written when it was needed: the outage demo always runs on simulated time now. */
    @Option(names = "--simulated-time", hidden = true,
            description = "No effect: the outage demo always runs on simulated time.")
    boolean simulatedTime;

    @Mixin
    Options.Json json;

    @Spec
    CommandSpec spec;

    /** The demo's result. */
    record DemoReport(@JsonProperty("data_dir") Path dataDir, @JsonProperty("faults") List<String> faults,
                      @JsonProperty("rebalance") RebalanceReport rebalance,
                      @JsonProperty("wall_time_ms") long wallTimeMs) {
    }

    @Override
    public Integer call() {
        Output output = Output.of(spec, json.enabled());
        if (scenario.equals("outage")) {
            Path dir = dataDir.equals(Path.of("keel-data/demo")) ? Path.of("keel-data/demo-outage") : dataDir;
            reset(dir);
            return new OutageDemo(output, dir).run(json.enabled());
        }
        if (scenario.equals("bracket")) {
            Path dir = dataDir.equals(Path.of("keel-data/demo")) ? Path.of("keel-data/demo-bracket") : dataDir;
            reset(dir);
            return new BracketDemo(output, dir).run(json.enabled());
        }
        if (scenario.equals("alpaca")) {
            Path dir = dataDir.equals(Path.of("keel-data/demo")) ? Path.of("keel-data/demo-alpaca") : dataDir;
            reset(dir);
            return new AlpacaDemo(output, dir).run(json.enabled());
        }
        if (!scenario.equals("all-weather")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--scenario: expected all-weather, outage, bracket or alpaca, but was '" + scenario + "'");
        }
        reset(dataDir);
        KeelConfig config = KeelConfig.demo(dataDir);
        List<String> faults = config.broker().paper().faults().stream().map(DemoCommand::describe).toList();
        introduce(output, config, faults);
        Instant began = Clock.systemUTC().instant();
        HeldConsole held = new HeldConsole(json.enabled() ? System.err : System.out);
        try (KeelRuntime runtime = KeelRuntime.open(config, held.stream()).afterClose(held::release)) {
            String account = runtime.accountId(null);
            RebalanceOutcome outcome = runtime.engine().rebalance(account, "demo", RebalanceReport.progress(output));
            RebalanceReport report = RebalanceReport.of(account, outcome, runtime.journal(), config.journalUrl());
            long ms = Duration.between(began, Clock.systemUTC().instant()).toMillis();
            output.result(new DemoReport(dataDir, faults, report, ms), d -> {
                output.line("");
                d.rebalance().print(output);
                output.line("");
                output.line("Done in " + ms + " ms. Notifications were also written to "
                        + dataDir.resolve("notifications.log") + ".");
                if (outcome.txId() != null) {
                    output.line("Look closer:  ./keel tx show " + outcome.txId() + " --journal " + config.journalUrl());
                }
            });
        }
        return ExitCodes.OK;
    }

    private static void introduce(Output output, KeelConfig config, List<String> faults) {
        PaperSettings paper = config.broker().paper();
        AccountConfig account = config.accounts().get(0);
        output.line("Keel demo: an All-Weather rebalance on the built-in paper exchange, with faults injected.");
        output.line("");
        List<String> holdings = new ArrayList<>();
        for (Map.Entry<String, BigDecimal> p : paper.positions().entrySet()) {
            holdings.add(p.getKey() + " " + p.getValue().toPlainString() + " @ " + paper.prices().get(p.getKey()));
        }
        output.line("Account '" + account.id() + "': cash $" + paper.cash().toPlainString() + ", "
                + String.join(", ", holdings));
        List<String> targets = new ArrayList<>();
        account.targets().forEach((s, w) -> targets.add(s + " " + w.movePointRight(2).stripTrailingZeros()
                .toPlainString() + "%"));
        output.line("Targets: " + String.join(", ", targets));
        output.line("Faults the exchange will inject:");
        faults.forEach(f -> output.line("  - " + f));
        output.line("");
    }

    static String describe(FaultSettings f) {
        StringBuilder s = new StringBuilder(f.op().wire());
        if (f.symbol() != null) {
            s.append(' ').append(f.symbol());
        }
        if (f.nth() != null) {
            s.append(" (call ").append(f.nth()).append(')');
        }
        s.append(": ").append(f.kind().wire());
        if (f.reason() != null) {
            s.append(' ').append(f.reason().wire());
        }
        if (f.retryAfter() != null) {
            s.append(", retry-after ").append(f.retryAfter().toMillis()).append("ms");
        }
        if (f.times() != null) {
            s.append(f.times() == 1 ? ", once" : ", " + f.times() + " times");
        }
        return s.toString();
    }

    private static void reset(Path dir) {
        try {
            Files.createDirectories(dir);
            for (String name : DEMO_FILES) {
                Files.deleteIfExists(dir.resolve(name));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the demo's data directory " + dir, e);
        }
    }
}

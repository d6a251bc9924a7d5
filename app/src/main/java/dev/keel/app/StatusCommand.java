package dev.keel.app;

import dev.keel.app.config.DurationFormat;
import dev.keel.app.runtime.KeelRuntime;
import dev.keel.core.broker.BrokerException;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.execution.BrokerGateway;
import dev.keel.core.metrics.Health;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code keel status}: overall health (HEALTHY, WARNING, CRITICAL) with reasons, recommendations and metrics. */
@Command(name = "status", description = "Overall health from the journal and a probe of every broker connection: "
        + "HEALTHY (exit 0), WARNING (exit 3) or CRITICAL (exit 4), each finding with what to do.")
final class StatusCommand extends ConfiguredCommand {
    @Option(names = "--window", paramLabel = "AGE", defaultValue = "24h",
            description = "How far back outcomes and metrics count, in whole minutes from the start of the minute it "
                    + "reaches back to (default: ${DEFAULT-VALUE}).")
    String window;

    @Override
    public Integer call() {
        Duration span = DurationFormat.parse(window).orElseThrow(() -> new ParameterException(spec.commandLine(),
                "--window: expected a duration like 1h or 7d, but was '" + window + "'"));
        Output output = output();
        KeelRuntime opened;
        try {
            opened = openRuntime();
        } catch (KeelException e) {
            if (e.code() != ErrorCode.JOURNAL_CORRUPT && e.code() != ErrorCode.JOURNAL_UNAVAILABLE) {
                throw e;
            }
            // A journal Keel cannot work on is the most critical finding there is, not a crash of 'status'.
            Health.Report report = new Health.Report(Health.Status.CRITICAL, Clock.systemUTC().instant(), span,
                    List.of(new Health.Finding(Health.Status.CRITICAL, "journal", e.code() + ": " + e.getMessage(),
                            e.code().suggestion())), List.of(), java.util.Map.of());
            output.result(report, r -> print(output, r));
            return ExitCodes.FAILED;
        }
        try (KeelRuntime runtime = opened) {
            List<Health.Probe> probes = new ArrayList<>();
            for (String id : runtime.engine().accountIds()) {
                probes.add(probe(runtime.gateway(id), id));
            }
            Health.Report report = Health.assess(runtime.journal(), Clock.systemUTC(), span, probes);
            output.result(report, r -> print(output, r));
            return switch (report.status()) {
                case HEALTHY -> ExitCodes.OK;
                case WARNING -> ExitCodes.PARTIAL;
                case CRITICAL -> ExitCodes.FAILED;
            };
        }
    }

    private static Health.Probe probe(BrokerGateway gateway, String accountId) {
        Instant began = Clock.systemUTC().instant();
        String breaker = gateway.breaker().getState().name();
        try {
            gateway.read(gateway.broker()::clock);
            return new Health.Probe(accountId, gateway.broker().name(), null, null,
                    Duration.between(began, Clock.systemUTC().instant()), breaker);
        } catch (BrokerException e) {
            return new Health.Probe(accountId, gateway.broker().name(), e.code(), e.getMessage(), null, breaker);
        }
    }

    private static void print(Output output, Health.Report r) {
        output.line("Keel is " + r.status() + " (last " + DurationFormat.format(r.window()) + ")");
        if (r.probes().isEmpty()) {
            // Nothing could be probed: the findings say why, one per paragraph rather than a table too wide to read.
            r.findings().forEach(f -> {
                output.line(f.status() + " " + f.subject() + ": " + f.reason());
                output.line("  what to do: " + f.recommendation());
            });
            return;
        }
        if (!r.findings().isEmpty()) {
            Table t = new Table("", "SUBJECT", "REASON", "WHAT TO DO");
            r.findings().forEach(f -> t.row(f.status().name(), f.subject(), f.reason(), f.recommendation()));
            output.table(t);
        }
        Table probes = new Table("ACCOUNT", "BROKER", "REACHABLE", "LATENCY", "BREAKER");
        r.probes().forEach(p -> probes.row(p.accountId(), p.broker(), p.failure() == null ? "yes" : "NO: " + p.failure(),
                p.latency() == null ? "-" : p.latency().toMillis() + " ms", p.breakerState()));
        output.table(probes);
        if (!r.metrics().isEmpty()) {
            Table m = new Table("METRIC", "VALUE");
            r.metrics().forEach((k, v) -> m.row(k, v == Math.rint(v) ? Long.toString(v.longValue())
                    : String.format(java.util.Locale.ROOT, "%.2f", v)));
            output.table(m);
        }
    }
}

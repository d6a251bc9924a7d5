package dev.keel.app;

import dev.keel.app.config.DurationFormat;
import dev.keel.app.runtime.KeelRuntime;
import dev.keel.notify.pattern.ErrorPattern;
import dev.keel.notify.pattern.PatternDetector;
import dev.keel.notify.pattern.PatternSettings;
import dev.keel.notify.threshold.DynamicThresholds;
import dev.keel.notify.threshold.ThresholdSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code keel errors thresholds|patterns}: what the journal's errors say beyond each one alone. Each subcommand runs
 * its check once, queues an alert for what it finds (once per finding, however often it runs) and sends it; run them
 * from cron until {@code keel serve} schedules them.
 */
@Command(name = "errors", description = "What the journal's errors say together: rates above their usual level, "
        + "patterns.", subcommands = {ErrorsCommand.Thresholds.class, ErrorsCommand.Patterns.class})
final class ErrorsCommand extends CommandGroup {

    /** A duration option: 15m, 7d. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return DurationFormat.parse(value).orElseThrow(() -> new TypeConversionException("expected a duration "
                    + "like 15m, 1h or 7d, but was '" + value + "'"));
        }
    }

    /** {@code keel errors thresholds}: each code's rate per account and broker against its learned baseline. */
    @Command(name = "thresholds", description = "Compare each error code's count in the last window, per account and "
            + "per broker, with its usual level learned from the journal (the 95th percentile of past windows; a static "
            + "floor until 20 windows are watched), and raise an alert for each one above it.")
    static final class Thresholds extends ConfiguredCommand {
        @Option(names = "--window", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "The window (default: 15m).")
        Duration window;

        @Option(names = "--history", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "How far back the baseline learns (default: 7d).")
        Duration history;

        @Option(names = "--dry-run", description = "Show what would fire; queue and send nothing.")
        boolean dryRun;

        record Line(String code, String scope, String key, int current, int threshold, String basis, int windows,
                    boolean exceeded) {
        }

        record Report(Instant at, String window, List<Line> baselines, List<String> queued, long sent) {
        }

        @Override
        public Integer call() {
            Output output = output();
            try (KeelRuntime runtime = openRuntime()) {
                ThresholdSettings d = ThresholdSettings.DEFAULTS;
                ThresholdSettings settings = new ThresholdSettings(window == null ? d.window() : window,
                        history == null ? d.history() : history, d.percentile(), d.minWindows(), d.floor(),
                        d.minimum());
                String broker = broker(runtime);
                DynamicThresholds thresholds = new DynamicThresholds(runtime.journal(), settings, account -> broker);
                Instant now = runtime.clock().instant();
                DynamicThresholds.Report found = dryRun ? thresholds.check(now) : thresholds.run(now);
                long sent = found.queued().isEmpty() ? 0 : runtime.outbox().dispatch().deliveries();
                List<Line> lines = found.baselines().stream().map(b -> new Line(b.code().name(),
                        b.scope().name().toLowerCase(Locale.ROOT), b.key(), b.current(), b.threshold(),
                        b.learned() ? "learned" : "floor", b.windows(), found.breaches().contains(b))).toList();
                output.result(new Report(now, DurationFormat.format(settings.window()), lines, found.queued(), sent),
                        r -> {
                            if (r.baselines().isEmpty()) {
                                output.line("No errors in the last " + r.window() + ".");
                            }
                            for (Line l : r.baselines()) {
                                output.line((l.exceeded() ? "ABOVE  " : "ok     ") + l.code() + "  " + l.scope() + " "
                                        + l.key() + ": " + l.current() + " in " + r.window() + ", threshold "
                                        + l.threshold() + " (" + l.basis() + ", " + l.windows() + " past windows)");
                            }
                            if (!r.queued().isEmpty()) {
                                output.line("Raised " + r.queued().size() + " alert(s); 'keel alerts list' shows them.");
                            }
                        });
                return ExitCodes.OK;
            }
        }
    }

    /** The broker the configured accounts trade on: one per configuration. */
    static String broker(KeelRuntime runtime) {
        return runtime.config().broker().kind().name().toLowerCase(Locale.ROOT);
    }

    /** {@code keel errors patterns}: bursts, correlations, recurrences and sequences over a period. */
    @Command(name = "patterns", description = "Find patterns among the journal's errors over a period: bursts (many "
            + "in a short time), correlations (one error on many accounts at once: the broker), recurrences (the same "
            + "time of day on several days), sequences (one error reliably before another); raise an alert for each "
            + "new one, with its evidence.")
    static final class Patterns extends ConfiguredCommand {
        @Option(names = "--window", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "How far back to look (default: 7d).")
        Duration window = Duration.ofDays(7);

        @Option(names = "--dry-run", description = "Show what is found; queue and send nothing.")
        boolean dryRun;

        record Line(String kind, String code, String scope, String title, String evidence, Instant firstAt,
                    Instant lastAt) {
            static Line of(ErrorPattern p) {
                return new Line(p.kind(), p.code().name(), p.scope(), p.title(), p.evidence(), p.firstAt(),
                        p.lastAt());
            }
        }

        record Report(Instant from, Instant to, int errors, List<Line> patterns, List<String> queued, long sent) {
        }

        @Override
        public Integer call() {
            Output output = output();
            try (KeelRuntime runtime = openRuntime()) {
                String broker = broker(runtime);
                PatternDetector detector = new PatternDetector(runtime.journal(), PatternSettings.DEFAULTS,
                        account -> broker);
                Instant now = runtime.clock().instant();
                PatternDetector.Report found = dryRun ? detector.find(now, window) : detector.run(now, window);
                long sent = found.queued().isEmpty() ? 0 : runtime.outbox().dispatch().deliveries();
                output.result(new Report(found.from(), found.to(), found.errors(),
                        found.patterns().stream().map(Line::of).toList(), found.queued(), sent), r -> {
                            output.line(r.errors() + " error(s) from " + r.from() + " to " + r.to() + "; "
                                    + (r.patterns().isEmpty() ? "no pattern." : r.patterns().size() + " pattern(s):"));
                            for (Line l : r.patterns()) {
                                output.line("  " + l.kind().toUpperCase(Locale.ROOT) + "  " + l.title());
                                output.line("      " + l.evidence());
                            }
                            if (!r.queued().isEmpty()) {
                                output.line("Raised " + r.queued().size() + " alert(s); 'keel alerts list' shows them.");
                            }
                        });
                return ExitCodes.OK;
            }
        }
    }
}

package dev.keel.app;

import dev.keel.app.config.AccountConfig;
import dev.keel.app.config.BreakerSettings;
import dev.keel.app.config.ChannelConfig;
import dev.keel.app.config.FaultSettings;
import dev.keel.app.config.KeelConfig;
import dev.keel.app.config.MarketDataSettings;
import dev.keel.app.config.PaperSettings;
import dev.keel.app.config.RetrySettings;
import dev.keel.core.execution.RateLimitPolicy;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.keel.app.config.DurationFormat.format;

/** The human summary of a valid configuration, as {@code keel config check} prints it. */
final class ConfigSummary {
    private ConfigSummary() {
    }

    /** Where 'keel worker' takes events from, and how hard it tries. */
    private static String events(dev.keel.app.config.EventsSettings e) {
        String from = switch (e.kind()) {
            case EMBEDDED -> "embedded inbox in the journal";
            case REDIS -> "redis " + e.redisUrl().replaceAll("//[^@/]*@", "//***@") + " stream " + e.stream()
                    + " group " + e.group();
        };
        return from + ", " + e.maxDeliveries() + " deliveries, max " + e.maxPayload() + " bytes, visibility "
                + format(e.visibilityTimeout()) + ", backoff " + format(e.backoff()) + " up to "
                + format(e.maxBackoff());
    }

    static void print(KeelConfig config, Output output) {
        output.line(config.source() + ": valid");
        output.line("");
        RetrySettings r = config.retry();
        BreakerSettings b = config.circuitBreaker();
        output.table(new Table("SETTING", "VALUE")
                .row("journal", config.journalUrl())
                .row("broker", broker(config))
                .row("retry", r.maxAttempts() + " attempts, " + format(r.initialDelay()) + " x" + r.multiplier()
                        + " up to " + format(r.maxDelay()) + ", jitter " + r.jitter())
                .row("circuit breaker", "opens at " + b.failureRatePercent() + "% of " + b.window() + " calls (min "
                        + b.minimumCalls() + "), open " + format(b.openFor()) + ", " + b.halfOpenCalls()
                        + " half-open calls")
                .row("resilience", resilience(config))
                .row("risk", "max turnover " + config.risk().maxTurnover().toPlainString() + ", max order "
                        + config.risk().maxOrder().toPlainString())
                .row("notifications", config.notifications().stream().map(ConfigSummary::channel)
                        .collect(Collectors.joining(", ")))
                .row("market data", marketData(config.marketData()))
                .row("operations", "protection grace " + format(config.operations().protectionGrace()))
                .row("events", events(config.events())));
        output.line("");
        Table accounts = new Table("ACCOUNT", "TARGETS", "DRIFT", "MIN TRADE", "CASH BUFFER");
        for (AccountConfig a : config.accounts()) {
            accounts.row(a.id(), a.allocation() == null ? pairs(a.targets()) : "from " + a.allocation().url()
                    + " (timeout " + format(a.allocation().timeout()) + ")", a.driftThreshold(), a.minTrade(),
                    a.cashBuffer());
        }
        output.table(accounts);
        PaperSettings paper = config.broker().paper();
        if (paper != null && !paper.faults().isEmpty()) {
            output.line("");
            Table faults = new Table("FAULT", "OP", "KIND", "WHEN", "DETAIL");
            int n = 0;
            for (FaultSettings f : paper.faults()) {
                faults.row(++n, f.op().wire(), f.kind().wire(), when(f), detail(f));
            }
            output.table(faults);
        }
    }

    private static String resilience(KeelConfig config) {
        var p = config.resilience();
        String budget = p.budget() == null ? "no retry budget" : "retry budget " + p.budget().ratio() + " of calls per "
                + format(p.budget().window()) + " (min " + p.budget().minimumRetries() + ")";
        String limit = p.rateLimit() == null ? "no rate limit" : "rate limit " + p.rateLimit().calls() + " per "
                + format(p.rateLimit().per()) + (p.rateLimit().scope() == RateLimitPolicy.Scope.ACCOUNT
                ? " per account" : "");
        PaperSettings paper = config.broker().paper();
        String backup = paper != null && paper.backupFaults() != null ? ", backup endpoint" : "";
        return budget + ", " + limit + ", bulkhead " + p.bulkhead().maxConcurrent() + backup;
    }

    private static String broker(KeelConfig config) {
        PaperSettings p = config.broker().paper();
        if (p == null) {
            return config.broker().kind().wire();
        }
        return "paper, seed " + p.seed() + ", latency " + format(p.latency()) + ", cash " + p.cash().toPlainString()
                + ", " + p.positions().size() + " positions, " + p.prices().size() + " prices, state " + p.state();
    }

    private static String marketData(MarketDataSettings m) {
        return m.sources().stream().map(s -> s.kind().wire() + (s.delay() == null ? "" : " " + format(s.delay()))
                + " (max age " + format(s.maxAge()) + ")").collect(Collectors.joining(" > "))
                + "; outlier " + m.outlier().toPlainString() + ", max spread " + m.maxSpread().toPlainString()
                + ", degraded data " + (m.allowDegraded() ? "allowed" : "refused");
    }

    private static String channel(ChannelConfig c) {
        String where = c.path() != null ? c.kind().wire() + " " + c.path()
                : c.name().equals(c.kind().wire()) ? c.kind().wire() : c.kind().wire() + " '" + c.name() + "'";
        return where + (c.minSeverity() == dev.keel.core.error.Severity.INFO ? "" : " (" + c.minSeverity().wire() + "+)");
    }

    private static String pairs(Map<String, BigDecimal> targets) {
        return targets.entrySet().stream().map(e -> e.getKey() + " " + e.getValue().toPlainString())
                .collect(Collectors.joining(", "));
    }

    private static String when(FaultSettings f) {
        String base;
        if (f.nth() != null) {
            base = f.times() > 1 ? "calls " + f.nth() + "-" + (f.nth() + f.times() - 1) : "call " + f.nth();
        } else if (f.probability() != null) {
            base = "p=" + BigDecimal.valueOf(f.probability()).stripTrailingZeros().toPlainString()
                    + (f.times() == null ? "" : ", at most " + f.times() + "x");
        } else {
            base = f.times() == null ? "every call" : "first " + f.times() + " calls";
        }
        return f.symbol() == null ? base : base + " for " + f.symbol();
    }

    private static String detail(FaultSettings f) {
        List<String> parts = new ArrayList<>();
        if (f.reason() != null) {
            parts.add(f.reason().wire());
        }
        if (f.retryAfter() != null) {
            parts.add("retry-after " + format(f.retryAfter()));
        }
        if (f.status() != null) {
            parts.add("status " + f.status());
        }
        if (f.delay() != null) {
            parts.add("delay " + format(f.delay()));
        }
        if (f.fraction() != null) {
            parts.add("fraction " + f.fraction().toPlainString());
        }
        if (f.age() != null) {
            parts.add("age " + format(f.age()));
        }
        return String.join(", ", parts);
    }
}

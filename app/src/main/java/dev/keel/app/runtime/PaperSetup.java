package dev.keel.app.runtime;

import dev.keel.app.config.FaultSettings;
import dev.keel.app.config.PaperSettings;
import dev.keel.core.model.Symbol;
import dev.keel.paper.BrokerCall;
import dev.keel.paper.FaultRule;
import dev.keel.paper.MarketHours;
import dev.keel.paper.PaperConfig;
import dev.keel.paper.PaperEndpoint;
import dev.keel.paper.PaperExchange;
import dev.keel.paper.RejectReason;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Maps the {@code broker.paper} section of the configuration onto the paper exchange's own configuration. */
public final class PaperSetup {
    /** The random walk's step volatility when {@code price-mode: random-walk}: 10 bps per step. */
    static final BigDecimal WALK_VOLATILITY = new BigDecimal("0.001");

    private PaperSetup() {
    }

    /** The paper exchange's configuration from {@code broker.paper}: what the runtime and {@code keel paper serve} open. */
    public static PaperConfig config(PaperSettings s) {
        PaperConfig.Builder b = PaperConfig.builder()
                .seed(s.seed())
                .latency(s.latency())
                .startingCash(s.cash())
                .spreadBps(s.spreadBps())
                .lookupVisibilityLag(s.visibilityLag())
                .orderClasses(s.orderClasses())
                .marketHours(s.marketHours() == PaperSettings.MarketHours.NYSE ? MarketHours.US_EQUITIES
                        : MarketHours.ALWAYS_OPEN)
                .stateFile(s.state());
        for (Map.Entry<String, BigDecimal> p : s.positions().entrySet()) {
            b.startingPosition(Symbol.of(p.getKey()), p.getValue());
        }
        for (Map.Entry<String, BigDecimal> p : s.prices().entrySet()) {
            b.price(Symbol.of(p.getKey()), p.getValue());
        }
        if (s.priceMode() == PaperSettings.PriceMode.RANDOM_WALK) {
            b.randomWalk(WALK_VOLATILITY, Duration.ofMinutes(1));
        } else {
            b.fixedPrices();
        }
        List<FaultRule> rules = new ArrayList<>();
        for (FaultSettings f : s.faults()) {
            rules.add(rule(f));
        }
        return b.faults(rules).build();
    }

    /** The backup endpoint of {@code broker.paper.backup}, or null when the file names none. */
    static PaperEndpoint backup(PaperExchange exchange, PaperSettings s) {
        if (s.backupFaults() == null) {
            return null;
        }
        return exchange.endpoint("backup", s.backupFaults().stream().map(PaperSetup::rule).toList());
    }

    static FaultRule rule(FaultSettings f) {
        FaultRule rule = switch (f.kind()) {
            case REJECT -> FaultRule.reject(RejectReason.parse(f.reason().wire()));
            case RATE_LIMITED -> FaultRule.rateLimited(f.retryAfter() == null ? Duration.ZERO : f.retryAfter());
            case SERVER_ERROR -> FaultRule.serverError(f.status() == null ? FaultSettings.DEFAULT_STATUS : f.status());
            case TIMEOUT_BEFORE_ACCEPT -> FaultRule.timeoutBeforeAccept();
            case TIMEOUT_AFTER_ACCEPT -> FaultRule.timeoutAfterAccept();
            case CONNECTION_RESET -> FaultRule.connectionReset();
            case SLOW -> FaultRule.slow(f.delay());
            case PARTIAL_FILL -> FaultRule.partialFill(f.fraction());
            case NO_FILL -> FaultRule.noFill();
            case STALE_QUOTE -> FaultRule.staleQuote(f.age() == null ? FaultSettings.DEFAULT_AGE : f.age());
            case NO_QUOTE -> FaultRule.noQuote();
            case STREAM_DROP -> FaultRule.streamDrop();
        };
        rule = rule.withOp(BrokerCall.parse(f.op().wire()));
        if (f.symbol() != null) {
            rule = rule.withSymbol(Symbol.of(f.symbol()));
        }
        if (f.nth() != null) {
            rule = rule.withNth(f.nth());
        }
        if (f.times() != null) {
            rule = rule.withTimes(f.times());
        }
        if (f.probability() != null) {
            rule = rule.withProbability(f.probability());
        }
        return rule;
    }
}

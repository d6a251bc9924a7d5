package dev.keel.core.rebalance;

import static dev.keel.core.rebalance.AllWeather.AS_OF;
import static dev.keel.core.rebalance.AllWeather.DBC;
import static dev.keel.core.rebalance.AllWeather.GLD;
import static dev.keel.core.rebalance.AllWeather.TLT;
import static dev.keel.core.rebalance.AllWeather.VTI;
import static dev.keel.core.rebalance.AllWeather.targets;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.marketdata.CheckedQuote;
import dev.keel.core.marketdata.QuoteCheck;
import dev.keel.core.marketdata.QuoteProblem;
import dev.keel.core.marketdata.Trust;
import dev.keel.core.model.PlannedOrder;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Symbol;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The planner on quotes the market-data chain judged: no order is sized on data Keel does not trust. */
class TrustedPricingTest {
    private final RebalancePlanner planner = new RebalancePlanner();

    /** Every All-Weather quote trusted from {@code live}. */
    private static Map<Symbol, CheckedQuote> trusted() {
        Map<Symbol, CheckedQuote> checked = new TreeMap<>();
        AllWeather.quotes().forEach((s, q) -> checked.put(s, new CheckedQuote(s, q, "live", Trust.TRUSTED, q.mid(),
                AS_OF, List.of())));
        return checked;
    }

    private static CheckedQuote untrusted(Symbol s, QuoteProblem... problems) {
        return new CheckedQuote(s, null, null, Trust.UNTRUSTED, null, AS_OF, List.of(problems));
    }

    private static CheckedQuote degraded(Symbol s) {
        Quote q = AllWeather.quotes().get(s);
        Quote delayed = new Quote(s, q.bid(), q.ask(), AS_OF.minus(Duration.ofMinutes(15)));
        return new CheckedQuote(s, delayed, "delayed", Trust.DEGRADED, q.mid(), AS_OF, List.of(
                new QuoteProblem("live", QuoteCheck.STALE, "quote is PT2M old, more than the PT15S allowed")));
    }

    @Test
    void everyQuoteTrustedPlansAsOnBareQuotes() {
        RebalancePlan plan = planner.plan(AllWeather.account(), trusted(), targets().build(), true);

        assertThat(plan.orders()).isEqualTo(AllWeather.plan().orders());
        assertThat(plan.pricing()).hasSize(5);
        assertThat(plan.degraded()).isEmpty();
    }

    @Test
    void untrustedSymbolsAreSkippedWithTheCodeOfTheirMostTellingProblem() {
        Map<Symbol, CheckedQuote> checked = trusted();
        checked.put(GLD, untrusted(GLD, new QuoteProblem("live", QuoteCheck.OUTLIER, "mid 555 is 200% away"),
                new QuoteProblem("delayed", QuoteCheck.MISSING, "has no quote")));
        checked.put(DBC, untrusted(DBC, new QuoteProblem("live", QuoteCheck.STALE, "quote is PT1H old")));
        checked.put(TLT, untrusted(TLT, new QuoteProblem("live", QuoteCheck.MISSING, "has no quote")));

        RebalancePlan plan = planner.plan(AllWeather.account(), checked, targets().build(), true);

        assertThat(plan.skipped()).extracting(s -> s.symbol() + " " + s.reason() + " " + s.reason().code())
                .containsExactly("DBC QUOTE_STALE QUOTE_STALE", "GLD QUOTE_OUTLIER QUOTE_OUTLIER",
                        "TLT QUOTE_MISSING QUOTE_MISSING");
        assertThat(plan.skipped().get(1).detail())
                .isEqualTo("no trusted quote: live OUTLIER: mid 555 is 200% away; delayed MISSING: has no quote");
        assertThat(plan.orders()).extracting(o -> o.spec().symbol()).doesNotContain(GLD, DBC, TLT);
        assertThat(plan.line(TLT).orElseThrow().quoted()).isFalse();
        assertThat(plan.describe()).contains("Skipped GLD: no trusted quote: live OUTLIER");
    }

    @Test
    void degradedQuoteSizesAnOrderWhenAllowedAndThePlanSaysSo() {
        Map<Symbol, CheckedQuote> checked = trusted();
        checked.put(GLD, degraded(GLD));

        RebalancePlan plan = planner.plan(AllWeather.account(), checked, targets().build(), true);

        assertThat(plan.buys()).extracting(PlannedOrder::leg).contains("buy-GLD");
        assertThat(plan.degraded()).extracting(CheckedQuote::symbol).containsExactly(GLD);
        assertThat(plan.describe()).contains("Priced on fallback data (DEGRADED) GLD: delayed quote, PT15M old; "
                + "live STALE: quote is PT2M old, more than the PT15S allowed");
    }

    @Test
    void degradedQuoteIsSkippedWithThePrimarysProblemWhenNotAllowed() {
        Map<Symbol, CheckedQuote> checked = trusted();
        checked.put(GLD, degraded(GLD));

        RebalancePlan plan = planner.plan(AllWeather.account(), checked, targets().build(), false);

        assertThat(plan.orders()).extracting(o -> o.spec().symbol()).doesNotContain(GLD);
        assertThat(plan.skipped()).singleElement().satisfies(s -> {
            assertThat(s.reason().code()).isEqualTo(ErrorCode.QUOTE_STALE);
            assertThat(s.detail()).startsWith("only fallback data (delayed, PT15M old) and market-data.allow-degraded"
                    + " is false: live STALE");
        });
        assertThat(plan.degraded()).isEmpty();
    }

    @Test
    void heldSymbolWithoutATrustedQuoteIsValuedAtTheBrokerPriceAndNotSold() {
        Map<Symbol, CheckedQuote> checked = trusted();
        checked.put(VTI, untrusted(VTI, new QuoteProblem("live", QuoteCheck.CROSSED, "bid above ask")));

        RebalancePlan plan = planner.plan(AllWeather.account(), checked, targets().build(), true);

        assertThat(plan.sells()).isEmpty();
        assertThat(plan.line(VTI).orElseThrow().price()).isEqualByComparingTo("250");
    }
}

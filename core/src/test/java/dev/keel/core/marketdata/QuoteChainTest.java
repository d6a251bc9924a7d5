package dev.keel.core.marketdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.execution.SimulationHooks;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Symbol;
import dev.keel.core.time.ManualClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QuoteChainTest {
    /** Monday 2026-03-02, 10:00 in New York. */
    static final Instant NOW = Instant.parse("2026-03-02T15:00:00Z");
    static final Symbol VTI = Symbol.of("VTI");

    private final ManualClock clock = new ManualClock(NOW);
    private final ScriptedSource live = new ScriptedSource("live");
    private final ScriptedSource delayed = new ScriptedSource("delayed");
    private final ScriptedSource close = new ScriptedSource("last-close");

    static BigDecimal d(String value) {
        return new BigDecimal(value);
    }

    static Quote quote(String bid, String ask, Instant at) {
        return new Quote(VTI, d(bid), d(ask), at);
    }

    /** The US daily bar of {@code day} (a weekday), all four prices {@code price}. */
    static Bar daily(String day, String price) {
        Instant open = Instant.parse(day + "T14:30:00Z");
        return new Bar(open, open.plus(Duration.ofMinutes(390)), d(price), d(price), d(price), d(price));
    }

    private QuoteChain chain() {
        return chain(MarketDataPolicy.defaults(), SimulationHooks.NONE);
    }

    private QuoteChain chain(MarketDataPolicy policy, SimulationHooks hooks) {
        return QuoteChain.builder(clock).policy(policy).hooks(hooks)
                .source(live, Duration.ofSeconds(15))
                .source(delayed, Duration.ofMinutes(20))
                .source(close, Duration.ofDays(4))
                .build();
    }

    @Test
    void freshLiveQuoteIsTrustedAndTheFallbacksAreNotAsked() {
        live.quote(quote("249.90", "250.10", NOW.minusSeconds(2)));

        CheckedQuote q = chain().quote(VTI);

        assertThat(q.trust()).isEqualTo(Trust.TRUSTED);
        assertThat(q.source()).isEqualTo("live");
        assertThat(q.problems()).isEmpty();
        assertThat(q.age()).isEqualTo(Duration.ofSeconds(2));
        assertThat(delayed.quoteCalls).isZero();
    }

    @Test
    void staleLiveQuoteFallsBackToTheDelayedOneWhichIsDegraded() {
        live.quote(quote("249.90", "250.10", NOW.minusSeconds(120)));
        delayed.quote(quote("248.90", "249.10", NOW.minus(Duration.ofMinutes(15))));

        CheckedQuote q = chain().quote(VTI);

        assertThat(q.trust()).isEqualTo(Trust.DEGRADED);
        assertThat(q.source()).isEqualTo("delayed");
        assertThat(q.quote().bid()).isEqualByComparingTo("248.90");
        assertThat(q.problems()).containsExactly(new QuoteProblem("live", QuoteCheck.STALE,
                "quote is PT2M old, more than the PT15S allowed"));
        assertThat(q.usable(true)).isTrue();
        assertThat(q.usable(false)).isFalse();
        assertThat(q.code()).isEqualTo(ErrorCode.QUOTE_STALE);
    }

    @Test
    void zeroBidIsRefusedAsNotPositive() {
        live.quote(quote("0", "250.10", NOW));

        CheckedQuote q = chain().quote(VTI);

        assertThat(q.problems()).extracting(QuoteProblem::check).containsExactly(QuoteCheck.NOT_POSITIVE,
                QuoteCheck.MISSING, QuoteCheck.MISSING);
        assertThat(q.trust()).isEqualTo(Trust.UNTRUSTED);
        assertThat(q.code()).isEqualTo(ErrorCode.QUOTE_STALE);
    }

    @Test
    void crossedQuoteIsRefusedAndTheNextSourceAsked() {
        live.quote(quote("250.20", "250.10", NOW));
        delayed.quote(quote("249.90", "250.10", NOW.minus(Duration.ofMinutes(15))));

        CheckedQuote q = chain().quote(VTI);

        assertThat(q.problems()).containsExactly(new QuoteProblem("live", QuoteCheck.CROSSED,
                "bid 250.20 is above ask 250.10"));
        assertThat(q.source()).isEqualTo("delayed");
    }

    @Test
    void spreadWiderThanAllowedIsRefused() {
        live.quote(quote("240.00", "260.00", NOW));

        CheckedQuote q = chain().quote(VTI);

        assertThat(q.problems().getFirst()).isEqualTo(new QuoteProblem("live", QuoteCheck.WIDE_SPREAD,
                "spread is 8.00% of mid, more than the 2.00% allowed"));
        assertThat(q.code()).isEqualTo(ErrorCode.QUOTE_OUTLIER);
    }

    @Test
    void jumpBeyondTheOutlierBoundFromTheLastGoodPriceIsRefusedAndTheFallbackTaken() {
        QuoteChain chain = chain();
        live.quote(quote("249.90", "250.10", NOW));
        chain.quote(VTI); // remembered: 250.0000
        clock.advance(Duration.ofMinutes(1));
        live.quote(quote("749.90", "750.10", clock.instant()));
        delayed.quote(quote("249.80", "250.00", clock.instant().minus(Duration.ofMinutes(15))));

        CheckedQuote q = chain.quote(VTI);

        assertThat(q.problems()).containsExactly(new QuoteProblem("live", QuoteCheck.OUTLIER,
                "mid 750.0000 is 200.00% from the last good price 250.0000, more than the 20.00% allowed"));
        assertThat(q.trust()).isEqualTo(Trust.DEGRADED);
        assertThat(q.reference()).isEqualByComparingTo("250");
    }

    @Test
    void moveWithinTheOutlierBoundIsTrustedAndBecomesTheNewLastGoodPrice() {
        QuoteChain chain = chain();
        live.quote(quote("249.90", "250.10", NOW));
        chain.quote(VTI);
        live.quote(quote("279.90", "280.10", NOW));

        assertThat(chain.quote(VTI).trust()).isEqualTo(Trust.TRUSTED);
        assertThat(chain.reference(VTI)).contains(d("280.0000"));
    }

    @Test
    void withNothingRememberedTheLastSoundDailyCloseIsTheReference() {
        close.bars(VTI, daily("2026-02-26", "100.00"), daily("2026-02-27", "101.00"));
        live.quote(quote("149.90", "150.10", NOW));
        close.quote(new Quote(VTI, d("101.00"), d("101.00"), Instant.parse("2026-02-27T21:00:00Z")));

        CheckedQuote q = chain().quote(VTI);

        assertThat(q.reference()).isEqualByComparingTo("101.00");
        assertThat(q.problems()).extracting(QuoteProblem::check).containsExactly(QuoteCheck.OUTLIER,
                QuoteCheck.MISSING);
        assertThat(q.source()).isEqualTo("last-close");
        assertThat(q.trust()).isEqualTo(Trust.DEGRADED);
        assertThat(q.age()).isEqualTo(Duration.ofHours(66));
    }

    @Test
    void withNoReferenceAtAllTheOutlierCheckCannotRefuse() {
        live.quote(quote("149.90", "150.10", NOW));

        CheckedQuote q = chain().quote(VTI);

        assertThat(q.trust()).isEqualTo(Trust.TRUSTED);
        assertThat(q.reference()).isNull();
    }

    @Test
    void sourceThatCannotBeAskedIsRecordedAsMissingAndTheNextIsAsked() {
        live.failing(VTI);
        delayed.quote(quote("249.90", "250.10", NOW.minus(Duration.ofMinutes(15))));

        CheckedQuote q = chain().quote(VTI);

        assertThat(q.problems()).containsExactly(new QuoteProblem("live", QuoteCheck.MISSING,
                "could not be asked: BROKER_TIMEOUT"));
        assertThat(q.trust()).isEqualTo(Trust.DEGRADED);
    }

    @Test
    void eachSourceIsJudgedByItsOwnMaximumAge() {
        delayed.quote(quote("249.90", "250.10", NOW.minus(Duration.ofMinutes(21))));
        close.quote(new Quote(VTI, d("250.00"), d("250.00"), NOW.minus(Duration.ofDays(3))));

        CheckedQuote q = chain().quote(VTI);

        assertThat(q.problems()).containsExactly(
                new QuoteProblem("live", QuoteCheck.MISSING, "has no quote"),
                new QuoteProblem("delayed", QuoteCheck.STALE, "quote is PT21M old, more than the PT20M allowed"));
        assertThat(q.source()).isEqualTo("last-close");
    }

    @Test
    void noSourcePassingLeavesTheSymbolUntrustedWithEveryProblemAndTheMostTellingCode() {
        QuoteChain chain = chain();
        chain.remember(VTI, d("250"), NOW);
        live.quote(quote("749.90", "750.10", NOW));
        delayed.quote(quote("249.90", "250.10", NOW.minus(Duration.ofHours(1))));

        CheckedQuote q = chain.quote(VTI);

        assertThat(q.trust()).isEqualTo(Trust.UNTRUSTED);
        assertThat(q.quote()).isNull();
        assertThat(q.problems()).extracting(p -> p.source() + " " + p.check())
                .containsExactly("live OUTLIER", "delayed STALE", "last-close MISSING");
        assertThat(q.code()).isEqualTo(ErrorCode.QUOTE_OUTLIER);
        assertThat(q.usable(true)).isFalse();
    }

    @Test
    void plantedTrustEveryQuoteTakesTheFirstAnswerUnchecked() {
        live.quote(quote("249.90", "250.10", NOW.minus(Duration.ofHours(1))));

        CheckedQuote q = chain(MarketDataPolicy.defaults(), new SimulationHooks() {
            @Override
            public boolean trustEveryQuote() {
                return true;
            }
        }).quote(VTI);

        assertThat(q.trust()).isEqualTo(Trust.TRUSTED);
        assertThat(q.problems()).isEmpty();
    }

    @Test
    void quotesAreJudgedPerSymbolInSymbolOrder() {
        Symbol tlt = Symbol.of("TLT");
        live.quote(quote("249.90", "250.10", NOW)).quote(new Quote(tlt, d("89.95"), d("90.05"), NOW));

        assertThat(chain().quotes(List.of(VTI, tlt)).keySet()).containsExactly(tlt, VTI);
    }

    @Test
    void builderAndPolicyNameTheBoundAndTheValue() {
        assertThatThrownBy(() -> QuoteChain.builder(clock).build())
                .hasMessage("sources must name at least 1 source, but named 0");
        assertThatThrownBy(() -> QuoteChain.builder(clock).source(live, Duration.ZERO))
                .hasMessage("maxAge of source 'live' must be positive, but was PT0S");
        assertThatThrownBy(() -> QuoteChain.builder(clock).source(live, Duration.ofSeconds(1))
                .source(new ScriptedSource("live"), Duration.ofSeconds(1)))
                .hasMessage("source names must be unique, but 'live' was given twice");
        assertThatThrownBy(() -> MarketDataPolicy.builder().outlier(BigDecimal.ZERO))
                .hasMessage("outlier must be in (0, 10], but was 0");
        assertThatThrownBy(() -> MarketDataPolicy.builder().maxSpread(BigDecimal.ONE))
                .hasMessage("maxSpread must be in (0, 1), but was 1");
    }
}

package dev.keel.paper;

import static dev.keel.paper.Fixtures.MONDAY_10AM_NY;
import static dev.keel.paper.Fixtures.TLT;
import static dev.keel.paper.Fixtures.VTI;
import static dev.keel.paper.Fixtures.dec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.marketdata.Bar;
import dev.keel.core.marketdata.MarketSession;
import dev.keel.core.marketdata.QuoteSource;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Symbol;
import dev.keel.core.time.ManualClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PaperMarketDataTest {
    private final ManualClock clock = Fixtures.clock();

    @Test
    void delayedQuoteShowsThePriceAsItStoodTheDelayAgo() {
        PaperExchange exchange = Fixtures.exchange(Fixtures.config().spreadBps(dec("2")).build(), clock);
        QuoteSource delayed = exchange.marketData().delayed(Duration.ofMinutes(15));
        clock.advance(Duration.ofMinutes(20));
        exchange.setPrice(VTI, dec("260"));
        clock.advance(Duration.ofMinutes(5));

        Quote q = delayed.quote(VTI).orElseThrow();

        assertThat(q.mid()).isEqualByComparingTo("250");
        assertThat(q.bid()).isEqualByComparingTo("249.9750");
        assertThat(q.at()).isEqualTo(clock.instant().minus(Duration.ofMinutes(15)));
        clock.advance(Duration.ofMinutes(11));
        assertThat(delayed.quote(VTI).orElseThrow().mid()).isEqualByComparingTo("260");
    }

    @Test
    void marketDataIsNeitherCountedNorFaulted() {
        PaperExchange exchange = Fixtures.exchange(Fixtures.config()
                .fault(FaultRule.noQuote().withOp(BrokerCall.QUOTE)).build(), clock);
        QuoteSource delayed = exchange.marketData().delayed(Duration.ofMinutes(15));

        assertThat(delayed.quote(VTI)).isPresent();
        assertThat(exchange.marketData().lastClose().quote(TLT)).isPresent();
        assertThat(exchange.callCounts()).doesNotContainKey("quote");
        assertThat(exchange.faultsFired()).isEmpty();
    }

    @Test
    void unknownSymbolHasNoQuoteAndNoBars() {
        PaperExchange exchange = Fixtures.exchange(Fixtures.config().build(), clock);
        Symbol unknown = Symbol.of("ZZZ");

        assertThat(exchange.marketData().delayed(Duration.ofMinutes(15)).quote(unknown)).isEmpty();
        assertThat(exchange.marketData().lastClose().quote(unknown)).isEmpty();
        assertThat(exchange.marketData().bars(unknown, MONDAY_10AM_NY.minus(Duration.ofDays(3)), MONDAY_10AM_NY,
                Duration.ofDays(1))).isEmpty();
    }

    @Test
    void lastCloseOfAUsMarketOnMondayMorningIsFridaysClose() {
        PaperExchange exchange = Fixtures.exchange(Fixtures.config().marketHours(MarketHours.US_EQUITIES).build(),
                clock);

        Quote q = exchange.marketData().lastClose().quote(VTI).orElseThrow();

        assertThat(q.at()).isEqualTo(Instant.parse("2025-02-28T21:00:00Z"));
        assertThat(q.bid()).isEqualByComparingTo("250").isEqualByComparingTo(q.ask());
        assertThat(exchange.marketData().session()).isEqualTo(MarketSession.US_EQUITIES);
    }

    @Test
    void lastCloseOfAnAlwaysOpenMarketIsTheLastUtcMidnightAndMovesWithTheDay() {
        PaperExchange exchange = Fixtures.exchange(Fixtures.config().build(), clock);
        exchange.setPrice(VTI, dec("255"));
        clock.advance(Duration.ofHours(10)); // 01:00 UTC Tuesday

        Quote q = exchange.marketData().lastClose().quote(VTI).orElseThrow();

        assertThat(q.at()).isEqualTo(Instant.parse("2025-03-04T00:00:00Z"));
        assertThat(q.mid()).isEqualByComparingTo("255");
    }

    @Test
    void minuteBarsOfARandomWalkFollowThePricePath() {
        PaperExchange exchange = Fixtures.exchange(Fixtures.config()
                .randomWalk(new BigDecimal("0.01"), Duration.ofSeconds(20)).build(), clock);
        clock.advance(Duration.ofHours(1));

        List<Bar> bars = exchange.marketData().bars(VTI, MONDAY_10AM_NY, clock.instant(), Duration.ofMinutes(1));

        assertThat(bars).hasSize(60);
        assertThat(bars).allSatisfy(b -> assertThat(b.problem()).isNull());
        assertThat(bars.get(1).start()).isEqualTo(MONDAY_10AM_NY.plus(Duration.ofMinutes(1)));
        assertThat(bars.getFirst().open()).isEqualByComparingTo("250");
        assertThat(bars).anySatisfy(b -> assertThat(b.high()).isGreaterThan(b.low()));
    }

    @Test
    void delayedSourceOffersOnlyTheBarsThatHadEndedTheDelayAgo() {
        PaperExchange exchange = Fixtures.exchange(Fixtures.config().build(), clock);
        clock.advance(Duration.ofHours(1));

        List<Bar> bars = exchange.marketData().delayed(Duration.ofMinutes(15))
                .bars(VTI, MONDAY_10AM_NY, clock.instant(), Duration.ofMinutes(1)).orElseThrow();

        assertThat(bars).hasSize(45);
    }
}

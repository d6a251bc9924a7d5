package dev.keel.core.marketdata;

import static dev.keel.core.marketdata.QuoteChainTest.VTI;
import static dev.keel.core.marketdata.QuoteChainTest.d;
import static dev.keel.core.marketdata.QuoteChainTest.daily;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BarSeriesTest {
    /** Monday 2 March 2026 to Saturday 7 March: five US sessions. */
    private static final Instant FROM = Instant.parse("2026-03-02T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-03-07T00:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);

    private final ScriptedSource primary = new ScriptedSource("delayed");
    private final ScriptedSource backup = new ScriptedSource("last-close");

    private BarSeries series() {
        return QuoteChain.builder(new ManualClock(TO))
                .source(new ScriptedSource("live"), Duration.ofSeconds(15))
                .source(primary, Duration.ofMinutes(20))
                .source(backup, Duration.ofDays(4))
                .build().bars(VTI, FROM, TO, DAY);
    }

    @Test
    void usSessionHasOneDailyBarPerWeekdayFromOpenToClose() {
        var slots = MarketSession.US_EQUITIES.slots(Instant.parse("2026-02-27T00:00:00Z"), TO, DAY);

        assertThat(slots).hasSize(6);
        assertThat(slots.get(0)).isEqualTo(new MarketSession.Slot(Instant.parse("2026-02-27T14:30:00Z"),
                Instant.parse("2026-02-27T21:00:00Z")));
        assertThat(slots.get(1).start()).isEqualTo(Instant.parse("2026-03-02T14:30:00Z"));
    }

    @Test
    void usSessionHas390MinuteBarsADayAndAnAlwaysOpenMarket1440() {
        Instant monday = Instant.parse("2026-03-02T00:00:00Z");
        Instant tuesday = monday.plus(DAY);

        assertThat(MarketSession.US_EQUITIES.slots(monday, tuesday, Duration.ofMinutes(1))).hasSize(390);
        assertThat(MarketSession.ALWAYS_OPEN.slots(monday, tuesday, Duration.ofMinutes(1))).hasSize(1440);
        assertThat(MarketSession.ALWAYS_OPEN.slots(monday.plusSeconds(1), tuesday, DAY)).isEmpty();
        assertThatThrownBy(() -> MarketSession.ALWAYS_OPEN.slots(monday, tuesday, Duration.ofSeconds(30)))
                .hasMessage("interval must be one day, or at least 1 minute and below a day, but was PT30S");
    }

    @Test
    void completeSeriesFromTheFirstSourceNeedsNoBackfill() {
        primary.bars(VTI, daily("2026-03-02", "100"), daily("2026-03-03", "101"), daily("2026-03-04", "102"),
                daily("2026-03-05", "101"), daily("2026-03-06", "100"));

        BarSeries s = series();

        assertThat(s.complete()).isTrue();
        assertThat(s.bars()).extracting(BarSeries.Entry::source).containsOnly("delayed");
        assertThat(s.notes()).isEmpty();
    }

    @Test
    void missingBarsAreBackfilledFromTheNextSource() {
        primary.bars(VTI, daily("2026-03-02", "100"), daily("2026-03-05", "101"), daily("2026-03-06", "100"));
        backup.bars(VTI, daily("2026-03-02", "99"), daily("2026-03-03", "100.5"), daily("2026-03-04", "100.8"));

        BarSeries s = series();

        assertThat(s.complete()).isTrue();
        assertThat(s.bars()).extracting(e -> e.source() + " " + e.bar().close().toPlainString()).containsExactly(
                "delayed 100", "last-close 100.5", "last-close 100.8", "delayed 101", "delayed 100");
        assertThat(s.notes()).containsExactly("2 bars backfilled from last-close");
    }

    @Test
    void gapNoSourceCanFillIsReportedAndTheSeriesIsIncomplete() {
        primary.bars(VTI, daily("2026-03-02", "100"), daily("2026-03-03", "101"), daily("2026-03-06", "100"));

        BarSeries s = series();

        assertThat(s.complete()).isFalse();
        assertThat(s.gaps()).extracting(MarketSession.Slot::start).containsExactly(
                Instant.parse("2026-03-04T14:30:00Z"), Instant.parse("2026-03-05T14:30:00Z"));
        assertThat(s.notes()).containsExactly("2 of 5 bars missing in market hours, first at 2026-03-04T14:30:00Z");
        assertThat(s.lastSound().orElseThrow().bar().close()).isEqualByComparingTo("100");
    }

    @Test
    void inconsistentOrJumpingBarsAreMarkedQuestionableAndReplacedWhereASoundOneExists() {
        Bar broken = new Bar(Instant.parse("2026-03-04T14:30:00Z"), Instant.parse("2026-03-04T21:00:00Z"),
                d("100"), d("99"), d("101"), d("100"));
        primary.bars(VTI, daily("2026-03-02", "100"), daily("2026-03-03", "101"), broken,
                daily("2026-03-05", "101"), daily("2026-03-06", "300"));
        backup.bars(VTI, daily("2026-03-04", "100.7"));

        BarSeries s = series();

        assertThat(s.bars()).extracting(e -> e.source() + " " + e.sound()).containsExactly("delayed true",
                "delayed true", "last-close true", "delayed true", "delayed false");
        assertThat(s.bars().getLast().questionable())
                .isEqualTo("close 300 jumps more than 20.00% from the previous close 101");
        assertThat(s.complete()).isFalse();
        assertThat(s.lastSound().orElseThrow().bar().close()).isEqualByComparingTo("101");
    }

    @Test
    void barsOffTheSessionGridAreIgnoredAndSaidSo() {
        Bar midnight = new Bar(Instant.parse("2026-03-02T00:00:00Z"), Instant.parse("2026-03-03T00:00:00Z"),
                d("100"), d("100"), d("100"), d("100"));
        primary.bars(VTI, midnight);

        BarSeries s = series();

        assertThat(s.bars()).isEmpty();
        assertThat(s.notes()).first().isEqualTo("delayed: 1 bars off the session's grid, ignored");
    }
}

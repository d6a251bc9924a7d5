package dev.keel.core.marketdata;

import dev.keel.core.error.KeelException;
import dev.keel.core.model.Symbol;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link BarSeries}: the first source's bars checked against the session's slots, then each later source
 * asked to fill what is missing or questionable, until the series is complete or the sources run out.
 */
final class BarAssembler {
    private final MarketSession session;
    private final BigDecimal jumpLimit;

    /**
     * @param jumpLimit a bar whose close moves more than this fraction from the previous bar of the same source is
     *                  questionable
     */
    BarAssembler(MarketSession session, BigDecimal jumpLimit) {
        this.session = session;
        this.jumpLimit = jumpLimit;
    }

    BarSeries assemble(Symbol symbol, Instant from, Instant to, Duration interval, List<QuoteSource> sources) {
        List<MarketSession.Slot> slots = session.slots(from, to, interval);
        Map<Instant, BarSeries.Entry> filled = new HashMap<>();
        List<String> notes = new ArrayList<>();
        boolean first = true;
        for (QuoteSource source : sources) {
            if (isComplete(slots, filled)) {
                break;
            }
            List<Bar> bars;
            try {
                bars = source.bars(symbol, from, to, interval).orElse(null);
            } catch (KeelException e) {
                notes.add(source.name() + " could not be asked for bars: " + e.code());
                continue;
            }
            if (bars == null) {
                continue;
            }
            fill(source.name(), first, slots, bars, filled, notes);
            first = false;
        }
        List<BarSeries.Entry> series = new ArrayList<>();
        List<MarketSession.Slot> gaps = new ArrayList<>();
        for (MarketSession.Slot slot : slots) {
            BarSeries.Entry e = filled.get(slot.start());
            if (e == null) {
                gaps.add(slot);
            } else {
                series.add(e);
            }
        }
        if (!gaps.isEmpty()) {
            notes.add(gaps.size() + " of " + slots.size() + " bars missing in market hours, first at "
                    + gaps.get(0).start());
        }
        return new BarSeries(symbol, interval, series, gaps, notes);
    }

    private void fill(String source, boolean first, List<MarketSession.Slot> slots, List<Bar> bars,
                      Map<Instant, BarSeries.Entry> filled, List<String> notes) {
        Map<Instant, Bar> byStart = new HashMap<>();
        int offGrid = 0;
        for (Bar bar : bars) {
            byStart.put(bar.start(), bar);
        }
        Map<Instant, MarketSession.Slot> slotAt = new HashMap<>();
        slots.forEach(s -> slotAt.put(s.start(), s));
        for (Bar bar : bars) {
            MarketSession.Slot slot = slotAt.get(bar.start());
            if (slot == null || !slot.end().equals(bar.end())) {
                offGrid++;
            }
        }
        if (offGrid > 0) {
            notes.add(source + ": " + offGrid + " bars off the session's grid, ignored");
        }
        int backfilled = 0;
        Bar previous = null;
        for (MarketSession.Slot slot : slots) {
            Bar bar = byStart.get(slot.start());
            if (bar == null || !slot.end().equals(bar.end())) {
                continue;
            }
            String problem = bar.problem();
            if (problem == null && previous != null && jumps(previous.close(), bar.close())) {
                problem = "close " + bar.close().toPlainString() + " jumps more than " + percent(jumpLimit)
                        + " from the previous close " + previous.close().toPlainString();
            }
            if (problem == null) {
                previous = bar;
            }
            BarSeries.Entry have = filled.get(slot.start());
            if (have == null || !have.sound() && problem == null) {
                if (!first) {
                    backfilled++;
                }
                filled.put(slot.start(), new BarSeries.Entry(bar, source, problem));
            }
        }
        if (backfilled > 0) {
            notes.add(backfilled + " bars backfilled from " + source);
        }
    }

    private boolean jumps(BigDecimal previous, BigDecimal close) {
        BigDecimal move = close.subtract(previous).abs().divide(previous, 10, RoundingMode.HALF_EVEN);
        return move.compareTo(jumpLimit) > 0;
    }

    private static boolean isComplete(List<MarketSession.Slot> slots, Map<Instant, BarSeries.Entry> filled) {
        for (MarketSession.Slot slot : slots) {
            BarSeries.Entry e = filled.get(slot.start());
            if (e == null || !e.sound()) {
                return false;
            }
        }
        return true;
    }

    static String percent(BigDecimal fraction) {
        return fraction.movePointRight(2).setScale(2, RoundingMode.HALF_EVEN).toPlainString() + "%";
    }
}

package dev.keel.core.marketdata;

import dev.keel.core.model.Symbol;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A symbol's bars over a range after checking: every bar the market session says belongs there, each from the
 * first source that had a sound one, the rest backfilled from later sources; a bar no source had sound is kept but
 * marked questionable, and a slot no source had at all is a gap.
 *
 * @param bars  one entry per filled slot, in time order
 * @param gaps  the slots no source could fill
 * @param notes what happened on the way, for the operator: sources without bars, bars backfilled, bars off the grid
 */
public record BarSeries(Symbol symbol, Duration interval, List<Entry> bars, List<MarketSession.Slot> gaps,
                        List<String> notes) {
    public BarSeries {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(interval, "interval");
        bars = List.copyOf(bars);
        gaps = List.copyOf(gaps);
        notes = List.copyOf(notes);
    }

    /**
     * One bar of the series.
     *
     * @param source       the source it came from
     * @param questionable why it cannot be trusted, or null when it passed every check
     */
    public record Entry(Bar bar, String source, String questionable) {
        public Entry {
            Objects.requireNonNull(bar, "bar");
            Objects.requireNonNull(source, "source");
        }

        public boolean sound() {
            return questionable == null;
        }
    }

    /** Whether every slot holds a sound bar. */
    public boolean complete() {
        return gaps.isEmpty() && bars.stream().allMatch(Entry::sound);
    }

    /** The latest bar that is not questionable. */
    public Optional<Entry> lastSound() {
        for (int i = bars.size() - 1; i >= 0; i--) {
            if (bars.get(i).sound()) {
                return Optional.of(bars.get(i));
            }
        }
        return Optional.empty();
    }
}

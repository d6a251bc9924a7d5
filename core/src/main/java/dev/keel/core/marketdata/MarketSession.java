package dev.keel.core.marketdata;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * When a market trades, as far as bars are concerned: which bars a complete series over a time range holds. A bar
 * missing from a source's series where the session says one belongs is a gap.
 */
public enum MarketSession {
    /** Trades around the clock: daily bars are UTC days, intraday bars a grid from the epoch. */
    ALWAYS_OPEN,
    /** 09:30-16:00 America/New_York, Monday to Friday (no holidays): daily bars run from the open to the close. */
    US_EQUITIES;

    /** The most bars one request may span: 100,000 (about a year of minute bars). */
    public static final int MAX_SLOTS = 100_000;
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final LocalTime OPEN = LocalTime.of(9, 30);
    private static final LocalTime CLOSE = LocalTime.of(16, 0);
    private static final Duration DAY = Duration.ofDays(1);

    /**
     * Where one bar belongs.
     *
     * @param start its first instant
     * @param end   the instant after its last one
     */
    public record Slot(Instant start, Instant end) {
    }

    /**
     * The bars a complete series of {@code interval} holds between {@code from} and {@code to}: every slot that
     * starts at or after {@code from} and ends at or before {@code to}, in time order.
     *
     * @param interval one day (daily bars), or at least a minute and less than a day (intraday bars)
     */
    public List<Slot> slots(Instant from, Instant to, Duration interval) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        checkInterval(interval);
        List<Slot> slots = new ArrayList<>();
        if (!to.isAfter(from)) {
            return slots;
        }
        if (this == ALWAYS_OPEN) {
            long step = interval.toNanos();
            long first = Math.floorDiv(nanos(from) + step - 1, step) * step;
            for (long s = first; s + step <= nanos(to); s += step) {
                add(slots, Instant.EPOCH.plusNanos(s), Instant.EPOCH.plusNanos(s + step));
            }
            return slots;
        }
        for (LocalDate day = from.atZone(NEW_YORK).toLocalDate(); !open(day).isAfter(to); day = day.plusDays(1)) {
            if (day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY) {
                continue;
            }
            Instant close = close(day);
            if (interval.equals(DAY)) {
                if (!open(day).isBefore(from) && !close.isAfter(to)) {
                    add(slots, open(day), close);
                }
                continue;
            }
            for (Instant s = open(day); !s.plus(interval).isAfter(close); s = s.plus(interval)) {
                if (!s.isBefore(from) && !s.plus(interval).isAfter(to)) {
                    add(slots, s, s.plus(interval));
                }
            }
        }
        return slots;
    }

    static void checkInterval(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (!interval.equals(DAY) && (interval.compareTo(Duration.ofMinutes(1)) < 0 || interval.compareTo(DAY) > 0)) {
            throw new IllegalArgumentException("interval must be one day, or at least 1 minute and below a day,"
                    + " but was " + interval);
        }
    }

    private static void add(List<Slot> slots, Instant start, Instant end) {
        if (slots.size() == MAX_SLOTS) {
            throw new IllegalArgumentException("a bar series may span at most " + MAX_SLOTS + " bars");
        }
        slots.add(new Slot(start, end));
    }

    private static long nanos(Instant t) {
        return Duration.between(Instant.EPOCH, t).toNanos();
    }

    private static Instant open(LocalDate day) {
        return day.atTime(OPEN).atZone(NEW_YORK).toInstant();
    }

    private static Instant close(LocalDate day) {
        return day.atTime(CLOSE).atZone(NEW_YORK).toInstant();
    }
}

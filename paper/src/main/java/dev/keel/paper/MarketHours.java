package dev.keel.paper;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;

/** When the exchange trades. US_EQUITIES knows weekends but no holidays and no early closes. */
public enum MarketHours {
    /** Always open; the clock reports a close one day ahead that keeps moving away. */
    ALWAYS_OPEN,
    /** 09:30-16:00 America/New_York, Monday to Friday. */
    US_EQUITIES;

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final LocalTime OPEN = LocalTime.of(9, 30);
    private static final LocalTime CLOSE = LocalTime.of(16, 0);

    boolean isOpen(Instant t) {
        if (this == ALWAYS_OPEN) {
            return true;
        }
        LocalDate day = t.atZone(NEW_YORK).toLocalDate();
        return tradingDay(day) && !t.isBefore(open(day)) && t.isBefore(close(day));
    }

    /** The first open at or after {@code t} ({@code t} itself when always open). */
    Instant nextOpen(Instant t) {
        if (this == ALWAYS_OPEN) {
            return t;
        }
        LocalDate day = t.atZone(NEW_YORK).toLocalDate();
        while (!tradingDay(day) || open(day).isBefore(t)) {
            day = day.plusDays(1);
        }
        return open(day);
    }

    /** The first close strictly after {@code t}; null when always open (there is none). */
    Instant nextCloseAfter(Instant t) {
        if (this == ALWAYS_OPEN) {
            return null;
        }
        LocalDate day = t.atZone(NEW_YORK).toLocalDate();
        while (!tradingDay(day) || !close(day).isAfter(t)) {
            day = day.plusDays(1);
        }
        return close(day);
    }

    /** The close the clock reports: the next close, or one day ahead when always open. */
    Instant reportedClose(Instant t) {
        return this == ALWAYS_OPEN ? t.plus(Duration.ofDays(1)) : nextCloseAfter(t);
    }

    boolean isClose(Instant t) {
        if (this == ALWAYS_OPEN) {
            return false;
        }
        LocalDate day = t.atZone(NEW_YORK).toLocalDate();
        return tradingDay(day) && close(day).equals(t);
    }

    private static boolean tradingDay(LocalDate day) {
        return day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY;
    }

    private static Instant open(LocalDate day) {
        return day.atTime(OPEN).atZone(NEW_YORK).toInstant();
    }

    private static Instant close(LocalDate day) {
        return day.atTime(CLOSE).atZone(NEW_YORK).toInstant();
    }
}

package dev.keel.core.time;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Instants as ISO-8601 UTC text, written and read without {@link DateTimeFormatter} for the years 0000-9999.
 *
 * <p>Every journal event carries instants, and the general formatter and parser were a fifth of the CPU of replaying
 * a day of records ({@code keel status}: Jackson's instant reader runs a regular expression and the formatter's
 * general parser on every value). What is written is exactly what {@link DateTimeFormatter#ISO_INSTANT} writes (its
 * fraction in groups of three digits, none when the nanoseconds are zero), or with {@code fixedNanos} always nine
 * digits; anything outside the fast form goes to the general code, so no text reads differently than before
 * ({@code PayloadScalarsTest} compares both on a seeded million). The journal's payloads and columns and the paper
 * exchange's state file are read and written through it.
 */
public final class IsoInstants {
    /** 0000-01-01T00:00:00Z. */
    private static final long FIRST = -62_167_219_200L;
    /** 9999-12-31T23:59:59Z. */
    private static final long LAST = 253_402_300_799L;

    private IsoInstants() {
    }

    /**
     * The instant of {@code text} as {@link Instant#parse} reads it: the canonical form digit by digit, anything else
     * (an offset, a year past 9999, a mistake) by {@link Instant#parse}, which also says why a bad text is bad.
     */
    public static Instant parse(String text) {
        Instant fast = parseFast(text);
        return fast != null ? fast : Instant.parse(text);
    }

    /** {@code at} as {@link DateTimeFormatter#ISO_INSTANT} writes it, or with nine fraction digits always. */
    public static String format(Instant at, boolean fixedNanos) {
        long seconds = at.getEpochSecond();
        int nanos = at.getNano();
        if (seconds < FIRST || seconds > LAST) {
            return fixedNanos ? Fixed.FORMAT.format(at) : DateTimeFormatter.ISO_INSTANT.format(at);
        }
        long epochDay = Math.floorDiv(seconds, 86_400);
        int secondOfDay = Math.floorMod(seconds, 86_400);
        LocalDate date = LocalDate.ofEpochDay(epochDay);
        char[] out = new char[30];
        put(out, 0, date.getYear(), 4);
        out[4] = '-';
        put(out, 5, date.getMonthValue(), 2);
        out[7] = '-';
        put(out, 8, date.getDayOfMonth(), 2);
        out[10] = 'T';
        put(out, 11, secondOfDay / 3_600, 2);
        out[13] = ':';
        put(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        put(out, 17, secondOfDay % 60, 2);
        int end = 19;
        int digits = fixedNanos ? 9 : nanos == 0 ? 0 : nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
        if (digits > 0) {
            out[end++] = '.';
            put(out, end, nanos / (digits == 3 ? 1_000_000 : digits == 6 ? 1_000 : 1), digits);
            end += digits;
        }
        out[end++] = 'Z';
        return new String(out, 0, end);
    }

    /**
     * The instant of {@code text} when it is {@code yyyy-MM-ddTHH:mm:ss[.f]Z} with one to nine fraction digits and a
     * valid date and time, else null: the caller's general parser then reads it, or says why it cannot.
     */
    public static Instant parseFast(String text) {
        int length = text.length();
        if (length < 20 || length > 30 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(length - 1) != 'Z') {
            return null;
        }
        int nanos = 0;
        if (length > 20) {
            if (text.charAt(19) != '.' || length == 21) {
                return null;
            }
            int fraction = digits(text, 20, length - 1);
            if (fraction < 0) {
                return null;
            }
            for (int i = length - 1 - 20; i < 9; i++) {
                fraction *= 10;
            }
            nanos = fraction;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || day > YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    private static void put(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** The decimal number in {@code text[from, to)}, or -1 when a character there is not a digit. */
    private static int digits(String text, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            int d = text.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            n = n * 10 + d;
        }
        return n;
    }

    /** The fixed-width form by the general formatter, for the years the fast form does not cover; made when needed. */
    private static final class Fixed {
        static final DateTimeFormatter FORMAT =
                DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);
    }
}

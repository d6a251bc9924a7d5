package dev.keel.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Instants as fixed-width UTC text with nanoseconds, {@code 2025-03-03T14:30:00.123456789Z}: exact, and ordered
 * the same as text and as time, so both dialects compare them in SQL without a timestamp type of their own.
 */
final class Timestamps {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    static String format(Instant instant) {
        return instant == null ? null : IsoInstants.format(instant, true);
    }

    /** {@link #format} by the general formatter: the years the fast form does not cover. */
    static String general(Instant instant) {
        return FORMAT.format(instant);
    }

    /**
     * Reads what {@link #format} wrote. The fixed-width form is read digit by digit (every read of a transaction row
     * parses two, and DateTimeFormatter's general parser was a tenth of the REST API's CPU); anything else (a row
     * written by hand, a year past 9999) goes to {@link Instant#parse}, which also says why a bad text is bad.
     */
    static Instant parse(String text) {
        if (text == null) {
            return null;
        }
        Instant fast = IsoInstants.parseFast(text);
        return fast != null ? fast : Instant.parse(text);
    }
}

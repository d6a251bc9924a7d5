package dev.keel.store;

import dev.keel.core.time.IsoInstants;
import java.time.Instant;

/**
 * Instants as fixed-width UTC text with nanoseconds, {@code 2025-03-03T14:30:00.123456789Z}: exact, and ordered
 * the same as text and as time, so both dialects compare them in SQL without a timestamp type of their own.
 */
final class Timestamps {
    private Timestamps() {
    }

    static String format(Instant instant) {
        return instant == null ? null : IsoInstants.format(instant, true);
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
        return IsoInstants.parse(text);
    }
}

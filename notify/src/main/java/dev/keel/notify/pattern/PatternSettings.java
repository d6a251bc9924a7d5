package dev.keel.notify.pattern;

import java.time.Duration;
import java.util.Objects;

/**
 * What counts as a pattern.
 *
 * @param burstWindow         a burst is at least {@code burstCount} errors of one code on one account within this
 * @param burstCount          see {@code burstWindow}
 * @param correlationWindow   a correlation is one code on at least {@code correlationAccounts} accounts within this
 * @param correlationAccounts see {@code correlationWindow}
 * @param recurrenceSlot      the width of a time of day: errors within it count as "the same time"
 * @param recurrenceDays      a recurrence is one code on one account at the same time of day on at least this many
 *                            days
 * @param sequenceWithin      a sequence is an error followed by another on the same account within this
 * @param sequenceSupport     ...at least this many times
 * @param sequenceConfidence  ...after at least this share of the first error's occurrences, in (0, 1]
 * @param sequenceLift        ...and at least this many times as often as the second error follows any moment
 * @param chance              a correlation or a recurrence is reported only when errors at random times, at the
 *                            rates seen outside it, would produce one like it less often than this (an error that
 *                            comes all day is not "recurring at 10:00"; three busy accounts are not "at once" by luck)
 */
public record PatternSettings(Duration burstWindow, int burstCount, Duration correlationWindow,
                              int correlationAccounts, Duration recurrenceSlot, int recurrenceDays,
                              Duration sequenceWithin, int sequenceSupport,
                              double sequenceConfidence, double sequenceLift, double chance) {
    /**
     * 10 errors in 5 minutes; one code on 3 accounts within 5 minutes; the same half hour on 4 days; a follower
     * within 10 minutes, 5 times, after 80% of the leader's occurrences, twice as often as chance; and for
     * correlations and recurrences, a chance of at most 1 in 1,000 of arising at random.
     */
    public static final PatternSettings DEFAULTS = new PatternSettings(Duration.ofMinutes(5), 10,
            Duration.ofMinutes(5), 3, Duration.ofMinutes(30), 4, Duration.ofMinutes(10), 5, 0.8, 2.0, 0.001);

    public PatternSettings {
        positive("burstWindow", burstWindow);
        positive("correlationWindow", correlationWindow);
        positive("recurrenceSlot", recurrenceSlot);
        positive("sequenceWithin", sequenceWithin);
        atLeast("burstCount", burstCount, 2);
        atLeast("correlationAccounts", correlationAccounts, 2);
        atLeast("recurrenceDays", recurrenceDays, 2);
        atLeast("sequenceSupport", sequenceSupport, 1);
        if (!(sequenceConfidence > 0 && sequenceConfidence <= 1)) {
            throw new IllegalArgumentException("sequenceConfidence must be in (0, 1], but was " + sequenceConfidence);
        }
        if (!(chance > 0 && chance < 1)) {
            throw new IllegalArgumentException("chance must be in (0, 1), but was " + chance);
        }
        if (!(sequenceLift >= 1)) {
            throw new IllegalArgumentException("sequenceLift must be at least 1, but was " + sequenceLift);
        }
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, but was " + d);
        }
    }

    private static void atLeast(String name, int value, int least) {
        if (value < least) {
            throw new IllegalArgumentException(name + " must be at least " + least + ", but was " + value);
        }
    }
}

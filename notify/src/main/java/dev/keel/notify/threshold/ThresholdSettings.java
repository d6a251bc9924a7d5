package dev.keel.notify.threshold;

import java.time.Duration;
import java.util.Objects;

/**
 * How the dynamic thresholds learn and when they fire.
 *
 * @param window     the length of a window, current and past
 * @param history    how far back past windows are learned from
 * @param percentile the share of past windows whose count the baseline covers, in (0, 1]
 * @param minWindows the past windows needed before the baseline is learned; until then the floor stands
 * @param floor      the static threshold while too few windows have been watched
 * @param minimum    a window with fewer errors than this never fires, however quiet the past was
 */
public record ThresholdSettings(Duration window, Duration history, double percentile, int minWindows, int floor,
                                int minimum) {
    /** 15-minute windows over 7 days, the 95th percentile after 20 windows, a floor of 10, never below 3. */
    public static final ThresholdSettings DEFAULTS = new ThresholdSettings(Duration.ofMinutes(15), Duration.ofDays(7),
            0.95, 20, 10, 3);

    public ThresholdSettings {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(history, "history");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, but was " + window);
        }
        if (history.compareTo(window) < 0) {
            throw new IllegalArgumentException("history must be at least the window " + window + ", but was "
                    + history);
        }
        if (!(percentile > 0 && percentile <= 1)) {
            throw new IllegalArgumentException("percentile must be in (0, 1], but was " + percentile);
        }
        if (minWindows < 1) {
            throw new IllegalArgumentException("minWindows must be at least 1, but was " + minWindows);
        }
        if (floor < 0) {
            throw new IllegalArgumentException("floor must be at least 0, but was " + floor);
        }
        if (minimum < 1) {
            throw new IllegalArgumentException("minimum must be at least 1, but was " + minimum);
        }
    }
}

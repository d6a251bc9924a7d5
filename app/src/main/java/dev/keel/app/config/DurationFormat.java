package dev.keel.app.config;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as the config file writes them: a whole number and a unit, {@code 20ms}, {@code 1s}, {@code 5m}, {@code 1h}, {@code 90d}. */
public final class DurationFormat {
    private static final Pattern TEXT = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    /** What an error message says is expected. */
    static final String EXPECTED = "a duration like 20ms, 1s, 30s, 5m, 1h or 90d";

    private DurationFormat() {
    }

    /** The duration {@code text} spells, or empty when it is not of the form number + ms|s|m|h|d. */
    public static Optional<Duration> parse(String text) {
        Matcher m = TEXT.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        long amount = Long.parseLong(m.group(1));
        return Optional.of(switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        });
    }

    /** The shortest exact spelling in the largest whole unit: {@code 30s}, {@code 1500ms}, {@code 0s}. */
    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        if (duration.toNanosPart() % 1_000_000 != 0 || duration.isNegative()) {
            return duration.toString();
        }
        if (duration.toMillisPart() != 0) {
            return duration.toMillis() + "ms";
        }
        long seconds = duration.toSeconds();
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}

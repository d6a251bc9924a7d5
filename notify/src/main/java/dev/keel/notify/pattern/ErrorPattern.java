package dev.keel.notify.pattern;

import dev.keel.core.error.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;

/** A pattern found among the journal's errors, with its evidence. */
public sealed interface ErrorPattern {
    /** {@code burst}, {@code correlation}, {@code recurrence} or {@code sequence}. */
    String kind();

    /** The code the pattern is about (for a sequence, the one that comes first). */
    ErrorCode code();

    /** The account it concerns, or {@code broker:NAME} (or {@code *}) for one across accounts. */
    String scope();

    /** When its first and last errors happened. */
    Instant firstAt();

    Instant lastAt();

    /** One line. */
    String title();

    /** The evidence, in words. */
    String evidence();

    /** What identifies it across runs: the same pattern found again is not alerted again. */
    String identity();

    /** Many errors of one code on one account in a short time. */
    record Burst(ErrorCode code, String scope, int count, Instant firstAt, Instant lastAt, Duration window)
            implements ErrorPattern {
        public String kind() {
            return "burst";
        }

        public String title() {
            return "Burst of " + count + " " + code + " on account " + scope + " in " + minutes(firstAt, lastAt);
        }

        public String evidence() {
            return count + " " + code + " errors on account " + scope + " from " + firstAt + " to " + lastAt
                    + ", at least " + "as dense as the burst threshold within any " + window.toMinutes()
                    + " minutes of it.";
        }

        public String identity() {
            return kind() + "|" + code + "|" + scope + "|" + firstAt;
        }
    }

    /** One code on many accounts at once: the broker, not the accounts. */
    record Correlation(ErrorCode code, String scope, List<String> accounts, int count, Instant firstAt,
                       Instant lastAt) implements ErrorPattern {
        public Correlation {
            accounts = List.copyOf(accounts);
        }

        public String kind() {
            return "correlation";
        }

        public String title() {
            return code + " on " + accounts.size() + " accounts at once"
                    + (scope.startsWith("broker:") ? ": " + scope.substring("broker:".length()) + ", not the accounts"
                    : "");
        }

        public String evidence() {
            return count + " " + code + " errors on " + accounts.size() + " accounts (" + String.join(", ", accounts)
                    + ") between " + firstAt + " and " + lastAt + ". The same error on many accounts at once points "
                    + "at what they share (the broker, its connection, the market data), not at any one account.";
        }

        public String identity() {
            return kind() + "|" + code + "|" + scope + "|" + firstAt;
        }
    }

    /** One code on one account at the same time of day on several days. */
    record Recurrence(ErrorCode code, String scope, LocalTime from, LocalTime to, List<java.time.LocalDate> days,
                      int count, Instant firstAt, Instant lastAt) implements ErrorPattern {
        public Recurrence {
            days = List.copyOf(days);
        }

        public String kind() {
            return "recurrence";
        }

        public String title() {
            return code + " on account " + scope + " around " + from + "-" + to + " UTC on " + days.size() + " days";
        }

        public String evidence() {
            return count + " " + code + " errors on account " + scope + " between " + from + " and " + to
                    + " UTC on each of " + days + ": something scheduled (a broker's maintenance, a job, a market "
                    + "open) is likely behind it.";
        }

        public String identity() {
            return kind() + "|" + code + "|" + scope + "|" + from;
        }
    }

    /** An error that reliably comes before another on the same account. */
    record Sequence(ErrorCode code, ErrorCode then, String scope, int leaders, int followed, double confidence,
                    double lift, Duration medianLag, Instant firstAt, Instant lastAt) implements ErrorPattern {
        public String kind() {
            return "sequence";
        }

        public String title() {
            return code + " is followed by " + then + " on account " + scope + " (" + followed + " of " + leaders
                    + " times)";
        }

        public String evidence() {
            return followed + " of the " + leaders + " " + code + " errors on account " + scope + " ("
                    + Math.round(confidence * 100) + "%) were followed by " + then + " within the window, a median of "
                    + medianLag.toSeconds() + " s later; " + String.format(java.util.Locale.ROOT, "%.1f", lift)
                    + " times as often as " + then + " follows any moment. Dealing with " + code
                    + " may prevent the " + then + " after it.";
        }

        public String identity() {
            return kind() + "|" + code + "|" + then + "|" + scope;
        }
    }

    private static String minutes(Instant from, Instant to) {
        long s = Duration.between(from, to).toSeconds();
        return s < 120 ? s + " s" : (s / 60) + " min";
    }
}

package dev.keel.alpaca;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Alpaca's own count of the requests left in its window ({@code X-RateLimit-Remaining}) and when the window resets
 * ({@code X-RateLimit-Reset}, epoch seconds), from the last answer. When none are left the next request waits for
 * the reset instead of earning a 429. The wait is the caller's, through the injected sleeper; this class only says
 * how long. Thread-safe.
 */
public final class RatePacer {
    private final Clock clock;
    private long remaining = Long.MAX_VALUE;
    private Instant resetAt = Instant.MIN;

    RatePacer(Clock clock) {
        this.clock = clock;
    }

    /** Reads the headers of an answer; an answer without them changes nothing. */
    synchronized void observe(HttpHeaders headers) {
        OptionalLong left = number(headers, "X-RateLimit-Remaining");
        OptionalLong reset = number(headers, "X-RateLimit-Reset");
        if (left.isPresent()) {
            remaining = left.getAsLong();
            resetAt = reset.isPresent() ? Instant.ofEpochSecond(reset.getAsLong()) : Instant.MIN;
        }
    }

    /**
     * How long the next request must wait: zero while Alpaca said requests are left, or once its window has reset;
     * otherwise until the reset. Counts the request as spent.
     */
    synchronized Duration beforeRequest() {
        Instant now = clock.instant();
        if (remaining > 0 || !now.isBefore(resetAt)) {
            if (remaining != Long.MAX_VALUE && remaining > 0) {
                remaining--;
            }
            return Duration.ZERO;
        }
        return Duration.between(now, resetAt);
    }

    /** What the last answer said is left, or -1 when no answer carried the header yet. */
    public synchronized long remaining() {
        return remaining == Long.MAX_VALUE ? -1 : remaining;
    }

    /** When Alpaca's window resets, per the last answer; {@link Instant#MIN} when unknown. */
    public synchronized Instant resetAt() {
        return resetAt;
    }

    static OptionalLong number(HttpHeaders headers, String name) {
        return headers.firstValue(name).map(v -> {
            try {
                return OptionalLong.of(Long.parseLong(v.strip()));
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }).orElse(OptionalLong.empty());
    }
}

package dev.keel.paper.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Alpaca's request budget per API key: {@code limit} requests per fixed window (200 a minute by default). Every
 * answer carries the budget's state in {@code X-RateLimit-Limit}, {@code X-RateLimit-Remaining} and
 * {@code X-RateLimit-Reset} (epoch seconds of the window's end); a request past it gets 429. Time comes from the
 * injected clock.
 */
final class RateLimiter {
    private final int limit;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Window> windows = new HashMap<>();

    RateLimiter(int limit, Duration window, Clock clock) {
        if (limit < 1) {
            throw new IllegalArgumentException("rate limit must be at least 1, but was " + limit);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("rate window must be positive, but was " + window);
        }
        this.limit = limit;
        this.window = window;
        this.clock = clock;
    }

    /** The budget of one request. */
    record Verdict(boolean allowed, int limit, int remaining, Instant reset) {
        long resetEpochSeconds() {
            return reset.getEpochSecond();
        }
    }

    Instant now() {
        return clock.instant();
    }

    /** Counts a request of {@code key} and says whether it is within the budget. */
    synchronized Verdict take(String key) {
        Instant now = clock.instant();
        long millis = window.toMillis();
        Instant start = Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), millis) * millis);
        Window w = windows.get(key);
        if (w == null || !w.start.equals(start)) {
            w = new Window(start);
            windows.put(key, w);
        }
        Instant reset = start.plus(window);
        if (w.used >= limit) {
            return new Verdict(false, limit, 0, reset);
        }
        w.used++;
        return new Verdict(true, limit, limit - w.used, reset);
    }

    private static final class Window {
        final Instant start;
        int used;

        Window(Instant start) {
            this.start = start;
        }
    }
}

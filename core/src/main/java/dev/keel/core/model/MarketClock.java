package dev.keel.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * The broker's market clock.
 *
 * @param now       the broker's time
 * @param open      whether the market is open now
 * @param nextOpen  the next open
 * @param nextClose the next close
 */
public record MarketClock(Instant now, boolean open, Instant nextOpen, Instant nextClose) {
    public MarketClock {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(nextOpen, "nextOpen");
        Objects.requireNonNull(nextClose, "nextClose");
    }
}

package dev.keel.core.journal;

import java.time.Duration;
import java.time.Instant;

/**
 * Calls that waited for the broker's rate limiter, counted since {@code since} (one event per summary interval).
 *
 * @param count     calls that waited
 * @param totalWait how long they waited together
 */
public record CallsDelayed(String broker, long count, Duration totalWait, Instant since, Instant at)
        implements BrokerEvent {
    @Override
    public String accountId() {
        return null;
    }
}

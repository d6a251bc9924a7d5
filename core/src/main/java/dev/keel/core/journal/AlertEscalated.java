package dev.keel.core.journal;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Nobody acknowledged the alert in time: it went to the next tier, journaled with the notification that carries it
 * in one append, so an escalation is made once and never lost across a restart.
 *
 * @param tier           1 for the first escalation
 * @param channels       the tier's channels
 * @param notificationId the notification queued for them
 */
public record AlertEscalated(String alertId, String accountId, int tier, List<String> channels,
                             String notificationId, Instant at) implements AlertEvent {
    public AlertEscalated {
        Objects.requireNonNull(alertId, "alertId");
        channels = List.copyOf(channels);
        Objects.requireNonNull(notificationId, "notificationId");
        Objects.requireNonNull(at, "at");
        if (tier < 1) {
            throw new IllegalArgumentException("tier must be at least 1, but was " + tier);
        }
    }
}

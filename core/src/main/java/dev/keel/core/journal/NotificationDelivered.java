package dev.keel.core.journal;

import java.time.Instant;

/** One channel delivered a notification. */
public record NotificationDelivered(String notificationId, String accountId, String channel, Instant at)
        implements NotificationEvent {
}

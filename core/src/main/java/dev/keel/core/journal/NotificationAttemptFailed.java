package dev.keel.core.journal;

import java.time.Instant;

/** One channel failed to deliver; the notification stays in the outbox and is retried. */
public record NotificationAttemptFailed(String notificationId, String accountId, String channel, int attempt,
                                        String message, Instant at) implements NotificationEvent {
}

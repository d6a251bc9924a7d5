package dev.keel.core.journal;

import java.time.Instant;

/**
 * The notification left the outbox: every channel delivered it, or a channel gave up after its attempts
 * ({@code delivered == false}, itself reported in the log and counted).
 */
public record NotificationSettled(String notificationId, String accountId, boolean delivered, Instant at)
        implements NotificationEvent {
    @Override
    public boolean closesStream() {
        return true;
    }
}

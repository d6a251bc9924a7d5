package dev.keel.core.journal;

import dev.keel.core.error.Severity;
import java.time.Instant;

/**
 * A notification entered the durable outbox (law 8) in the same journal as the outcome it reports.
 *
 * @param txId the transaction it reports on, or null
 */
public record NotificationQueued(String notificationId, String accountId, String txId, Severity severity,
                                 String title, String body, Instant at)
        implements NotificationEvent {
}

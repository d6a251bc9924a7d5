package dev.keel.core.journal;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.Severity;
import java.time.Instant;
import java.util.Objects;

/**
 * An alert was raised for a notification, in the append of the notification's first delivery outcomes.
 *
 * @param notificationId the notification that raised it
 * @param txId           the transaction it concerns, or null
 * @param code           the catalog code (its runbook), or null
 * @param queuedAt       when the notification was queued: escalation delays count from here
 */
public record AlertRaised(String alertId, String accountId, String notificationId, String txId, ErrorCode code,
                          Severity severity, String title, Instant queuedAt, Instant at) implements AlertEvent {
    public AlertRaised {
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(notificationId, "notificationId");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(queuedAt, "queuedAt");
        Objects.requireNonNull(at, "at");
    }
}

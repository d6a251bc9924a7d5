package dev.keel.core.journal;

import java.time.Instant;
import java.util.Objects;

/**
 * Someone took the alert: it escalates no further.
 *
 * @param by   who (the operator's name or {@code cli})
 * @param note what they said, or null
 */
public record AlertAcknowledged(String alertId, String accountId, String by, String note, Instant at)
        implements AlertEvent {
    public AlertAcknowledged {
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(at, "at");
    }
}

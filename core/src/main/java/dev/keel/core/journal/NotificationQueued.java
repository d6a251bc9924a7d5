package dev.keel.core.journal;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.Severity;
import java.time.Instant;
import java.util.List;

/**
 * A notification entered the durable outbox (law 8) in the same journal as the outcome it reports.
 *
 * @param txId     the transaction it reports on, or null
 * @param code     the catalog code it reports, or null (then the transaction's ending code, if any, is used)
 * @param channels the only channels it goes to (an escalation to the next tier), or null for the outbox's routing
 */
public record NotificationQueued(String notificationId, String accountId, String txId, Severity severity,
                                 String title, String body, Instant at, ErrorCode code, List<String> channels)
        implements NotificationEvent {
    public NotificationQueued {
        channels = channels == null ? null : List.copyOf(channels);
    }

    /** A notification without a code of its own, routed by the outbox's rules. */
    public NotificationQueued(String notificationId, String accountId, String txId, Severity severity, String title,
                              String body, Instant at) {
        this(notificationId, accountId, txId, severity, title, body, at, null, null);
    }
}

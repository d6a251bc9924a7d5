package dev.keel.core.notify;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.Severity;
import dev.keel.core.journal.NotificationQueued;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A message for the account's owner about an outcome.
 *
 * @param id        the outbox id
 * @param accountId the account
 * @param txId      the transaction it reports on, or null
 * @param severity  how urgent
 * @param title     one line
 * @param body      the details, may span lines
 * @param at        when it was queued
 * @param code      the catalog code it reports (its runbook), or null
 * @param channels  the only channels it goes to, or null for the outbox's routing
 */
public record Notification(String id, String accountId, String txId, Severity severity, String title, String body,
                           Instant at, ErrorCode code, List<String> channels) {
    public Notification {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(at, "at");
        channels = channels == null ? null : List.copyOf(channels);
    }

    /** A notification without a code, routed by the outbox's rules. */
    public Notification(String id, String accountId, String txId, Severity severity, String title, String body,
                        Instant at) {
        this(id, accountId, txId, severity, title, body, at, null, null);
    }

    /** @param code the code to report when the queued event names none (the transaction's ending code), or null */
    static Notification of(NotificationQueued queued, ErrorCode code) {
        return new Notification(queued.notificationId(), queued.accountId(), queued.txId(), queued.severity(),
                queued.title(), queued.body(), queued.at(), queued.code() != null ? queued.code() : code,
                queued.channels());
    }
}

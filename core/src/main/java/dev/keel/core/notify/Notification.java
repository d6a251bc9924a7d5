package dev.keel.core.notify;

import dev.keel.core.error.Severity;
import dev.keel.core.journal.NotificationQueued;
import java.time.Instant;
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
 */
public record Notification(String id, String accountId, String txId, Severity severity, String title, String body,
                           Instant at) {
    public Notification {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(at, "at");
    }

    static Notification of(NotificationQueued queued) {
        return new Notification(queued.notificationId(), queued.accountId(), queued.txId(), queued.severity(),
                queued.title(), queued.body(), queued.at());
    }
}

package dev.keel.core.notify;

import dev.keel.core.error.Severity;

/**
 * Where notifications go: console, file, later e-mail and webhooks. The {@link Outbox} calls it and records the
 * outcome; a channel only sends.
 */
public interface NotificationChannel {

    /** A name unique among the outbox's channels; the journal records deliveries by it, so keep it stable. */
    String name();

    /** Delivers one notification, or throws: any exception counts as a failed attempt to be retried. */
    void send(Notification notification);

    /** The least urgent severity this channel takes; {@link Severity#INFO} (everything) by default. */
    default Severity minimumSeverity() {
        return Severity.INFO;
    }

    /** Whether this channel should get {@code notification}, by its severity. */
    default boolean accepts(Notification notification) {
        return notification.severity().atLeast(minimumSeverity());
    }
}

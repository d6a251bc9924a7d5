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

    /**
     * Whether a send only appends to a file on this machine, as the engine's own log does with every line. The outbox
     * calls such a channel on the dispatching thread; any other send it hands to a thread of its own, which it
     * abandons after the send timeout (a mail server that accepts the connection and never answers). That hand-off
     * is two thread wake-ups per send, 0.13-0.21 ms of each notification: the dispatch after recovering 1,000
     * transactions took 0.38 s with it and 0.25 s without (issue 15). False by default.
     */
    default boolean appendsLocally() {
        return false;
    }

    /** The least urgent severity this channel takes; {@link Severity#INFO} (everything) by default. */
    default Severity minimumSeverity() {
        return Severity.INFO;
    }

    /** Whether this channel should get {@code notification}, by its severity. */
    default boolean accepts(Notification notification) {
        return notification.severity().atLeast(minimumSeverity());
    }
}

package dev.keel.core.journal;

/**
 * The life of an alert: a notification someone must act on, raised when the outbox first sends it, then escalated
 * to the next tier while nobody acknowledges it, acknowledged, and resolved with a note. The stream is
 * {@code alert:ID}; it closes when the alert is resolved, so the open alert streams are the open alerts.
 */
public sealed interface AlertEvent extends JournalEvent permits AlertRaised, AlertEscalated, AlertAcknowledged,
        AlertResolved {
    String alertId();

    @Override
    default String streamId() {
        return "alert:" + alertId();
    }

    @Override
    default String streamKind() {
        return ALERT;
    }
}

package dev.keel.app.intake;

/** An event that can never run as sent: why, in words that name the field and what was expected. */
public final class EventRejected extends Exception {
    private static final long serialVersionUID = 1L;

    EventRejected(String reason) {
        super(reason, null, false, false);
    }
}

package dev.keel.core.notify;

import dev.keel.core.journal.JournalEvent;
import java.util.List;

/**
 * Events the outbox journals in the same append as a notification's first delivery outcomes: an alert raised for
 * it, say. Called once per notification (a crash before that append calls it again with the retried send), from
 * the dispatching thread, without a lock held.
 */
@FunctionalInterface
public interface FirstSendEvents {
    /** None. */
    FirstSendEvents NONE = notification -> List.of();

    List<? extends JournalEvent> events(Notification notification);
}

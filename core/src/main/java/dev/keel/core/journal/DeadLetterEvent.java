package dev.keel.core.journal;

/**
 * What operators did with a dead-lettered event. The stream is {@code dead-letter:EVENT_ID}; the dead letter itself
 * lives beside its event source (the inbox table, the dead-letter stream), and the journal keeps what must outlive a
 * purge: the resolution notes {@code keel runbook CODE} shows.
 */
public sealed interface DeadLetterEvent extends JournalEvent permits DeadLetterResolved {
    String eventId();

    @Override
    default String streamId() {
        return "dead-letter:" + eventId();
    }

    @Override
    default String streamKind() {
        return DEAD_LETTER;
    }
}

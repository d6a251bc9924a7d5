package dev.keel.core.engine;

import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.OrderIntentRecorded;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.core.journal.TransactionSummary;
import dev.keel.core.model.TransactionStatus;
import java.util.List;
import java.util.Optional;

/**
 * Whether an event has had its effect, read from the journal under the account's lease: the transactions started
 * with the event id as correlation id. One counts unless it ended FAILED or ABORTED with a retryable error before any
 * order intent was recorded (law 1: nothing reached a broker then), so an event whose run met a broker outage may
 * run again, and one whose transaction placed anything never does.
 */
final class EventEffects {
    private final Journal journal;

    EventEffects(Journal journal) {
        this.journal = journal;
    }

    /** The event's transaction that counts as its effect, if the journal holds one. */
    Optional<TransactionSummary> effect(String eventId, String accountId) {
        List<TransactionSummary> started = journal.correlated(eventId);
        return started.stream().filter(t -> accountId.equals(t.accountId()))
                .filter(t -> !withoutEffect(t.txId())).findFirst();
    }

    /** Ended FAILED or ABORTED with a retryable error, before any order intent: as if it never ran. */
    boolean withoutEffect(String txId) {
        List<JournalRecord> records = journal.stream(txId);
        TransactionEnded ended = null;
        for (JournalRecord r : records) {
            if (r.event() instanceof OrderIntentRecorded) {
                return false;
            }
            if (r.event() instanceof TransactionEnded e) {
                ended = e;
            }
        }
        return ended != null && (ended.status() == TransactionStatus.FAILED
                || ended.status() == TransactionStatus.ABORTED)
                && ended.errorCode() != null && ended.errorCode().retryable();
    }
}

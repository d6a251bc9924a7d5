package dev.keel.notify.history;

import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.OrderAttemptFailed;
import dev.keel.core.journal.OrderCancelFailed;
import dev.keel.core.journal.OrderLookedUp;
import dev.keel.core.journal.TransactionEnded;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The errors of a stretch of the journal, and since when the journal has been watching, read in one replay.
 * Each broker call that failed counts once (a failed order attempt, a failed cancel, a lookup that erred), and so
 * does a transaction that ended with a code; an order's final failure is not counted again over its attempts.
 *
 * @param since       the first record's time: before it nothing was watched, so no window there counts as quiet
 * @param occurrences the errors in {@code [from, to)}, oldest first
 */
public record ErrorHistory(Instant since, List<ErrorOccurrence> occurrences) {
    public ErrorHistory {
        occurrences = List.copyOf(occurrences);
    }

    /** The errors in {@code [from, to)}; {@code since} is null for an empty journal. */
    public static ErrorHistory read(Journal journal, Instant from, Instant to) {
        List<ErrorOccurrence> out = new ArrayList<>();
        Instant[] first = {null};
        journal.replay(0, r -> {
            JournalEvent e = r.event();
            if (first[0] == null || e.at().isBefore(first[0])) {
                first[0] = e.at();
            }
            if (e.at().isBefore(from) || !e.at().isBefore(to) || e.accountId() == null) {
                return;
            }
            ErrorOccurrence o = switch (e) {
                case OrderAttemptFailed f -> new ErrorOccurrence(f.at(), f.code(), f.accountId(), f.txId());
                case OrderCancelFailed f -> new ErrorOccurrence(f.at(), f.code(), f.accountId(), f.txId());
                case OrderLookedUp l when l.outcome() == OrderLookedUp.Outcome.ERROR && l.errorCode() != null ->
                        new ErrorOccurrence(l.at(), l.errorCode(), l.accountId(), l.txId());
                case TransactionEnded t when t.errorCode() != null ->
                        new ErrorOccurrence(t.at(), t.errorCode(), t.accountId(), t.txId());
                default -> null;
            };
            if (o != null && o.code() != null) {
                out.add(o);
            }
        });
        out.sort(Comparator.comparing(ErrorOccurrence::at));
        return new ErrorHistory(first[0], out);
    }
}

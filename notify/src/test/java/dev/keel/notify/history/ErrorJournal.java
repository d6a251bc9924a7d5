package dev.keel.notify.history;

import dev.keel.core.broker.Delivery;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.journal.MemoryJournal;
import dev.keel.core.journal.OrderAttemptFailed;
import dev.keel.core.journal.JournalSamples;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Builds a journal of errors for the threshold and pattern tests: each error a failed order attempt at a given time,
 * background noise drawn from a seeded generator. Records are appended in the order given; the checks sort by time.
 */
public final class ErrorJournal {
    private final MemoryJournal journal = new MemoryJournal();
    private final SplittableRandom random;
    private int counter;

    public ErrorJournal(long seed) {
        this.random = new SplittableRandom(seed);
    }

    public MemoryJournal journal() {
        return journal;
    }

    public SplittableRandom random() {
        return random;
    }

    /** One error of {@code code} on {@code account} at {@code at}. */
    public ErrorJournal error(Instant at, String account, ErrorCode code) {
        String tx = "tx-" + (++counter);
        journal.append(new OrderAttemptFailed(tx, account, tx + "-0", 1, code, Delivery.AMBIGUOUS, 504,
                "upstream timed out", null, at));
        return this;
    }

    /** {@code n} errors spread over {@code [from, from + span)}. */
    public ErrorJournal errors(int n, Instant from, Duration span, String account, ErrorCode code) {
        for (int i = 0; i < n; i++) {
            error(from.plusMillis(random.nextLong(span.toMillis())), account, code);
        }
        return this;
    }

    /**
     * Background: in each {@code window} of {@code [from, to)}, between 0 and {@code max} errors of {@code code} on
     * {@code account}, drawn from the seeded generator.
     */
    public ErrorJournal noise(Instant from, Instant to, Duration window, int max, String account, ErrorCode code) {
        for (Instant w = from; w.isBefore(to); w = w.plus(window)) {
            errors(random.nextInt(max + 1), w, window, account, code);
        }
        return this;
    }

    /** A record that marks when Keel started watching, with no error in it. */
    public ErrorJournal watchingSince(Instant at) {
        journal.append(JournalSamples.started("tx-watch", "main", at));
        return this;
    }
}

package dev.keel.store;

import dev.keel.core.journal.JournalCorruptException;
import java.util.Iterator;
import java.util.List;

/**
 * Checks records read in sequence order: each checksum matches, and every position after {@code afterSequence} up
 * to the journal head is either a live record or inside an archived range, exactly once. A missing, duplicated or
 * altered record throws {@link JournalCorruptException} naming its position.
 */
final class SequenceCheck {
    /** A run of consecutive archived sequences, both ends included. */
    record Range(long first, long last) {
    }

    private final Iterator<Range> archived;
    private Range range;
    private long expected;
    private long lastSeen;
    private long checked;

    /** {@code ranges} sorted by first sequence; ranges before {@code afterSequence} are skipped. */
    SequenceCheck(long afterSequence, List<Range> ranges) {
        this.archived = ranges.iterator();
        this.range = archived.hasNext() ? archived.next() : null;
        this.expected = afterSequence + 1;
    }

    /** Checks the next live record: its place and its checksum. */
    StoredRow accept(StoredRow row) {
        place(row);
        row.verified();
        return row;
    }

    /** Checks the next live record's place in the sequence only (a reader that does not read its payload). */
    void place(StoredRow row) {
        skipArchived();
        if (row.sequence() > expected) {
            throw new JournalCorruptException(expected, "record missing: the journal goes from " + (expected - 1)
                    + " to " + row.sequence() + " and no archive holds " + expected);
        }
        if (row.sequence() < expected) {
            throw new JournalCorruptException(row.sequence(), "record out of place: it was archived or read already"
                    + " (expected " + expected + ")");
        }
        lastSeen = row.sequence();
        expected++;
        checked++;
    }

    /** Checks that nothing is missing between the last record read and the journal head. */
    void finish(long head) {
        skipArchived();
        if (expected <= head) {
            throw new JournalCorruptException(expected, "record missing: the journal ends at " + (expected - 1)
                    + " but its head is " + head);
        }
        if (lastSeen > head) {
            throw new JournalCorruptException(head + 1, "record beyond the journal head " + head);
        }
    }

    /** Live records checked so far. */
    long checked() {
        return checked;
    }

    private void skipArchived() {
        while (range != null && range.first() <= expected) {
            if (range.last() >= expected) {
                expected = range.last() + 1;
            }
            range = archived.hasNext() ? archived.next() : null;
        }
    }
}

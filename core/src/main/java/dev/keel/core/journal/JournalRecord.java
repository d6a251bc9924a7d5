package dev.keel.core.journal;

import java.util.Objects;

/**
 * An event as stored: its position in the journal and nothing else. Checksums are the store's concern and are
 * verified on every read.
 *
 * @param sequence 1 for the first record, gap-free
 */
public record JournalRecord(long sequence, JournalEvent event) {
    public JournalRecord {
        Objects.requireNonNull(event, "event");
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be at least 1, but was " + sequence);
        }
    }
}

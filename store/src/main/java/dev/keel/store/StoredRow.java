package dev.keel.store;

import dev.keel.core.journal.JournalCorruptException;

/** One row of the {@code events} table, or one line of an archive file, before its payload is decoded. */
record StoredRow(long sequence, String streamId, String type, String payload, long checksum) {

    /** Throws {@link JournalCorruptException} naming this record's sequence when the checksum does not match. */
    StoredRow verified() {
        return matching(Checksums.of(sequence, streamId, type, payload));
    }

    /** Throws as {@link #verified()} does when {@code actual}, this record's checksum taken by the caller, differs. */
    StoredRow matching(long actual) {
        if (actual != checksum) {
            throw new JournalCorruptException(sequence, "checksum mismatch (stored " + checksum + ", computed "
                    + actual + ")");
        }
        return this;
    }
}

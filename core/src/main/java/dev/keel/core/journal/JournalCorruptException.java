package dev.keel.core.journal;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.ErrorContext;
import dev.keel.core.error.KeelException;

/** A record failed its checksum or sequence check; names the position. Keel does not start on a corrupt journal. */
public final class JournalCorruptException extends KeelException {
    private static final long serialVersionUID = 1L;

    private final long sequence;

    public JournalCorruptException(long sequence, String what) {
        super(ErrorCode.JOURNAL_CORRUPT, "journal record " + sequence + " is corrupt: " + what,
                ErrorContext.NONE.with("sequence", Long.toString(sequence)), null);
        this.sequence = sequence;
    }

    /** The position of the first bad record. */
    public long sequence() {
        return sequence;
    }
}

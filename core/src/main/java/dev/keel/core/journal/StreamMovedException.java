package dev.keel.core.journal;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.ErrorContext;
import dev.keel.core.error.KeelException;

/**
 * A conditional append was refused because a stream no longer ends where the caller saw it: someone appended to it
 * since. Nothing of the append was written; the caller reads again and decides again.
 */
public final class StreamMovedException extends KeelException {
    private static final long serialVersionUID = 1L;
    private final transient StreamPosition expected;
    private final long actual;

    public StreamMovedException(StreamPosition expected, long actual) {
        super(ErrorCode.STREAM_MOVED, "stream " + expected.streamId() + " ends at " + actual + ", not at "
                + expected.lastSequence() + " as read: another writer appended to it", ErrorContext.NONE, null);
        this.expected = expected;
        this.actual = actual;
    }

    /** What the refused append expected. */
    public StreamPosition expected() {
        return expected;
    }

    /** Where the stream really ended. */
    public long actual() {
        return actual;
    }
}

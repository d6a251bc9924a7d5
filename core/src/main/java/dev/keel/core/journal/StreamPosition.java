package dev.keel.core.journal;

import java.util.Objects;

/**
 * Where a caller last saw a stream end: the condition of a conditional append (optimistic concurrency, as an event
 * store's "expected version"). The append goes ahead only if the stream still ends there.
 *
 * @param streamId     the stream
 * @param lastSequence the sequence of its last record when the caller read it; 0 for a stream with no record yet
 */
public record StreamPosition(String streamId, long lastSequence) {
    public StreamPosition {
        Objects.requireNonNull(streamId, "streamId");
        if (lastSequence < 0) {
            throw new IllegalArgumentException("lastSequence must be at least 0, but was " + lastSequence);
        }
    }

    /** Where the stream of {@code records} ends: the last one's sequence, 0 when there is none. */
    public static StreamPosition of(String streamId, java.util.List<JournalRecord> records) {
        return new StreamPosition(streamId, records.isEmpty() ? 0 : records.getLast().sequence());
    }
}

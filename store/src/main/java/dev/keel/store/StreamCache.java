package dev.keel.store;

import dev.keel.core.journal.JournalRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams this journal read before, decoded, the most recently used kept up to a bound on their records. A stream is
 * append-only and its sequences grow in commit order (every writer takes them under the journal head's lock), so a
 * stream read again needs only its records after the last one kept: the read of an account's trading state before
 * every submit (law 9) stays one query, but no longer decodes the whole history of the account (one record more per
 * rebalance, for as long as the account trades). Archiving removes whole ended transactions: {@link #clear} after
 * one.
 */
final class StreamCache {
    private final int maxRecords;
    /** Each stream's records as last read, never empty. */
    private final Map<String, List<JournalRecord>> entries = new LinkedHashMap<>(256, 0.75f, true);
    private int records;

    /** @param maxRecords the most records kept over all streams; the least recently read streams go first */
    StreamCache(int maxRecords) {
        this.maxRecords = maxRecords;
    }

    /** The stream's records as last kept, or null when none are. */
    synchronized List<JournalRecord> get(String streamId) {
        return entries.get(streamId);
    }

    /**
     * Keeps {@code read} as the stream's records, unless what is kept already reaches further (a concurrent reader's
     * later read). An empty stream is not kept: its first record may be its own creator's.
     */
    synchronized void put(String streamId, List<JournalRecord> read) {
        if (read.isEmpty() || read.size() > maxRecords) {
            return;
        }
        List<JournalRecord> kept = entries.get(streamId);
        if (kept != null) {
            if (kept.getLast().sequence() >= read.getLast().sequence()) {
                return;
            }
            records -= kept.size();
        }
        entries.put(streamId, read);
        records += read.size();
        var eldest = entries.values().iterator();
        while (records > maxRecords && eldest.hasNext()) {
            records -= eldest.next().size();
            eldest.remove();
        }
    }

    synchronized void clear() {
        entries.clear();
        records = 0;
    }

    synchronized int size() {
        return records;
    }
}

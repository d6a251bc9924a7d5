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
    /** A stream's records as last read, and the sequence of its last one. */
    record Entry(List<JournalRecord> records, long last) {
    }

    private final int maxRecords;
    private final Map<String, Entry> entries = new LinkedHashMap<>(256, 0.75f, true);
    private int records;

    /** @param maxRecords the most records kept over all streams; the least recently read streams go first */
    StreamCache(int maxRecords) {
        this.maxRecords = maxRecords;
    }

    synchronized Entry get(String streamId) {
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
        long last = read.getLast().sequence();
        Entry kept = entries.get(streamId);
        if (kept != null) {
            if (kept.last() >= last) {
                return;
            }
            records -= kept.records().size();
        }
        entries.put(streamId, new Entry(read, last));
        records += read.size();
        var eldest = entries.entrySet().iterator();
        while (records > maxRecords && eldest.hasNext()) {
            records -= eldest.next().getValue().records().size();
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

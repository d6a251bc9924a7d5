package dev.keel.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The streams whose view row the journal's writer has seen committed with an account, the most recently written kept.
 * A row's account, once set, is not unset (it takes the first one an event names), so for these streams the statement
 * that would give it one is skipped (issue 15: it was one of the three statements of each stream a batch moves). An
 * archive may delete a row this remembers, in this process or another; the insert that recreates it takes the batch's
 * first account, so the statement is skipped only when that one is there ({@code AppendSql}). Writer-thread confined.
 * A batch's streams count only once it commits ({@link #committed}); a batch rolled back forgets them
 * ({@link #rolledBack}).
 */
final class KnownAccounts {
    /** At most this many streams are remembered, ~100 bytes each. */
    static final int CAPACITY = 16_384;

    private final int capacity;
    private final Map<String, Boolean> known;
    private final List<String> pending = new ArrayList<>();

    KnownAccounts(int capacity) {
        this.capacity = capacity;
        this.known = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > KnownAccounts.this.capacity;
            }
        };
    }

    KnownAccounts() {
        this(CAPACITY);
    }

    /** Whether a committed batch gave {@code streamId}'s row an account. */
    boolean has(String streamId) {
        return known.get(streamId) != null;
    }

    /** {@code streamId}'s row has an account once the batch being written commits. */
    void pending(String streamId) {
        pending.add(streamId);
    }

    /** The batch committed: its streams are known. */
    void committed() {
        pending.forEach(id -> known.put(id, Boolean.TRUE));
        pending.clear();
    }

    /** The batch was rolled back (or its commit's outcome is unknown): what it would have set is not known. */
    void rolledBack() {
        pending.clear();
    }
}

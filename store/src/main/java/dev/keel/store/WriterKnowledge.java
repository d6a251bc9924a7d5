package dev.keel.store;

import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.StreamPosition;
import dev.keel.core.journal.TransactionStarted;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a PostgreSQL journal's writer knows between its batches, so that a batch can go in one trip to the server
 * instead of two ({@link PostgresAppend}): the journal head as its last commit left it, the view's row of the streams
 * it wrote or read lately, and the lease epochs of the accounts it fenced or took lately. Used on the writer thread
 * only.
 *
 * <p>What it knows can be stale: another process may have written since. A batch that goes on what it knows sends the
 * server what it assumed, and the statement refuses the batch, writing nothing, unless it held: the head where this
 * writer left it (every writer of the records and the view moves it, so nobody appended since), every stream it folds
 * having a row and every stream it opens none (another process's archive may have removed a row without moving the
 * head), and every fenced account's epoch the one it assumed (a lease take moves no head). Each is read after the
 * head's lock, in the same trip. The writer then forgets what it knew and writes the batch in two trips, reading under
 * the lock what the batch needs. A writer that finds the head moved by another since its own last commit goes on in
 * two trips until it finds it alone again, so that writers of several processes do not keep sending batches their
 * server refuses.
 */
final class WriterKnowledge {
    /** Streams and accounts known at most; the least recently used are forgotten first. */
    static final int KNOWN = 16_384;

    /** The head's last sequence as this writer's last commit left it; -1 when unknown. */
    private long head = -1;
    /** Whether nobody else wrote between this writer's last two commits: only then does a batch go on {@link #head}. */
    private boolean alone;
    private final Map<String, AppendSql.StreamEnd> ends = bounded();
    private final Map<String, Long> epochs = bounded();
    /** Batches that went in one trip; read by tests on other threads. */
    private volatile long oneTrip;

    /** A map that keeps the {@value #KNOWN} most recently used entries; {@link KnownEpochs} keeps its epochs in one. */
    static <V> Map<String, V> bounded() {
        return new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > KNOWN;
            }
        };
    }

    /**
     * What a batch of {@code appends} may assume, with every one of them admitted: null when the batch must read
     * instead, because this writer does not know the head or was not alone, a stream or account the batch depends on
     * is not known (a stream the batch begins with a transaction's start is new by construction), or an append's
     * conditions do not hold on what is known (its refusal must be decided on what the server holds).
     */
    PostgresAppend.Locked assume(List<GroupCommitWriter.Append> appends) {
        if (head < 0 || !alone) {
            return null;
        }
        Map<String, AppendSql.StreamEnd> assumedEnds = new HashMap<>();
        Map<String, Long> assumedEpochs = new HashMap<>();
        Set<String> written = new HashSet<>();
        for (GroupCommitWriter.Append append : appends) {
            if (append.fence() != null) {
                Long epoch = epochs.get(append.fence().accountId());
                if (epoch == null || epoch != append.fence().epoch()) {
                    return null;
                }
                assumedEpochs.put(append.fence().accountId(), append.fence().epoch());
            }
            for (StreamPosition position : append.expected()) {
                AppendSql.StreamEnd end = ends.get(position.streamId());
                if (written.contains(position.streamId()) || end == null
                        || end.lastSeq() != position.lastSequence()) {
                    return null;
                }
                assumedEnds.put(position.streamId(), end);
            }
            for (EventCodec.Encoded encoded : append.events()) {
                JournalEvent event = encoded.event();
                if (!written.add(event.streamId())) {
                    continue;
                }
                AppendSql.StreamEnd end = ends.get(event.streamId());
                if (end != null) {
                    assumedEnds.put(event.streamId(), end);
                } else if (!(event instanceof TransactionStarted)) {
                    return null;
                }
            }
        }
        return new PostgresAppend.Locked(head, head, assumedEnds, assumedEpochs, true);
    }

    /**
     * A batch committed: {@code locked} is what it read under the head's lock or assumed, {@code folds} what it wrote
     * into the view, {@code last} the head it left, {@code taken} the epochs of the leases it took.
     */
    void committed(PostgresAppend.Locked locked, Collection<AppendSql.StreamFold> folds, long last,
                   Map<String, Long> taken) {
        if (locked.assumed()) {
            oneTrip++;
        } else {
            alone = head == locked.lastSeq();
            if (!alone) {
                ends.clear(); // another process wrote: what this writer knew of any stream may be behind
            }
        }
        ends.putAll(locked.ends());
        epochs.putAll(locked.epochs());
        epochs.putAll(taken);
        for (AppendSql.StreamFold f : folds) {
            // As the view folds them (PostgresAppend's statement): an account once named is kept, and a stream
            // opened when its transaction started, else at its first record.
            AppendSql.StreamEnd before = ends.get(f.streamId);
            String openedAt = f.started != null ? f.startedAt() : before != null ? before.openedAt() : f.firstAt;
            ends.put(f.streamId, new AppendSql.StreamEnd(f.lastSeq,
                    (before != null && before.hasAccount()) || f.accountId != null, openedAt));
        }
        head = last;
    }

    /**
     * Forgets everything: after a failed batch (whatever its outcome), a batch that wrote nothing, and work on the
     * writer's connection outside batches, which may change what is known without this writer seeing it.
     */
    void forget() {
        head = -1;
        alone = false;
        ends.clear();
        epochs.clear();
    }

    /** Tests: how many batches went in one trip. */
    long oneTripBatches() {
        return oneTrip;
    }
}

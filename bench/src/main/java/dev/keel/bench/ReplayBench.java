package dev.keel.bench;

import dev.keel.core.execution.TransactionView;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.JournalRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rebuilding state from the journal: {@link Journal#replay} of {@code events} records (checksums verified as they
 * are read), grouped by transaction, each folded into a {@link TransactionView}. Ten events per transaction.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class ReplayBench {
    private static final int CHUNK_TRANSACTIONS = 100;

    @Param("200000")
    int events;

    @Param({"sqlite", "postgresql"})
    String store;

    BenchJournal bench;

    @Setup(Level.Trial)
    public void fill() {
        bench = BenchJournal.open(store);
        int transactions = Math.max(1, events / 10);
        for (int first = 0; first < transactions; first += CHUNK_TRANSACTIONS) {
            List<JournalEvent> chunk = new ArrayList<>();
            for (int t = first; t < Math.min(transactions, first + CHUNK_TRANSACTIONS); t++) {
                chunk.addAll(Samples.transaction("tx-" + t, "acct-" + (t % 1000)));
            }
            bench.journal().appendAll(chunk);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        bench.close();
    }

    /** Returns how many transactions folded to a terminal state, so nothing is optimised away. */
    @Benchmark
    public int replayAndFold() {
        Map<String, List<JournalRecord>> byTransaction = new HashMap<>();
        bench.journal().replay(0, r -> {
            if (JournalEvent.TRANSACTION.equals(r.event().streamKind())) {
                byTransaction.computeIfAbsent(r.event().streamId(), k -> new ArrayList<>(10)).add(r);
            }
        });
        int terminal = 0;
        for (List<JournalRecord> records : byTransaction.values()) {
            if (TransactionView.fold(records).isTerminal()) {
                terminal++;
            }
        }
        return terminal;
    }
}

package dev.keel.bench;

import dev.keel.core.journal.Fence;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalRecord;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable order intents per second: one writer appending one at a time (each append waits for its own commit), and
 * {@value #ACCOUNTS} threads, one account each, whose appends the journal's writer batches into shared commits. The
 * fenced variant appends as an account session of the runtime does: under the account's lease, each append carrying
 * its epoch, which the writer checks against the journal before it writes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JournalAppendBench {
    /** Threads of the group-commit benchmark, each one account's transaction. */
    static final int ACCOUNTS = 64;

    @Param({"sqlite", "postgresql"})
    String store;

    BenchJournal bench;
    Journal journal;

    @Setup(Level.Trial)
    public void open() {
        bench = BenchJournal.open(store);
        journal = bench.journal();
    }

    @TearDown(Level.Trial)
    public void close() {
        bench.close();
    }

    /** One account's transaction: every append is the next leg's intent. */
    @State(Scope.Thread)
    public static class Account {
        private static final AtomicInteger IDS = new AtomicInteger();
        final String accountId = "acct-" + IDS.incrementAndGet();
        final String txId = "tx-" + accountId;
        int leg;

        /** The account's lease, taken once per trial: null until the fenced benchmark takes it. */
        Fence fence;

        String nextLeg() {
            return "buy-" + leg++;
        }

        Fence fence(Journal journal) {
            if (fence == null) {
                fence = new Fence(accountId, journal.takeLease(accountId));
            }
            return fence;
        }
    }

    @Benchmark
    @Threads(1)
    public JournalRecord oneAtATime(Account account) {
        return journal.append(Samples.intent(account.txId, account.accountId, account.nextLeg()));
    }

    @Benchmark
    @Threads(1)
    public JournalRecord oneAtATimeFenced(Account account) {
        return fenced(account);
    }

    @Benchmark
    @Threads(ACCOUNTS)
    public JournalRecord groupCommit(Account account) {
        return journal.append(Samples.intent(account.txId, account.accountId, account.nextLeg()));
    }

    @Benchmark
    @Threads(ACCOUNTS)
    public JournalRecord groupCommitFenced(Account account) {
        return fenced(account);
    }

    private JournalRecord fenced(Account account) {
        return journal.appendAll(List.of(Samples.intent(account.txId, account.accountId, account.nextLeg())),
                List.of(), account.fence(journal)).getFirst();
    }
}

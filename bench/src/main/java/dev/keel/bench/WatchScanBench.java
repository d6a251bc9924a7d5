package dev.keel.bench;

import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.OrdersWorking;
import dev.keel.core.ops.LiveOrders;
import java.util.ArrayList;
import java.util.List;
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
 * What the protection watch reads before its broker calls, on an account with nothing live: the account's 200 most
 * recent transactions, each an ended rebalance (10 records). {@code index=unsaid} is a journal whose transactions do
 * not say what they leave working (as every one journaled before the index of working orders), so the watch folds
 * each of them, as every pass did before; {@code index=said} is one whose endings carry {@link OrdersWorking} of
 * nothing, so the watch reads the index of the account's transactions and nothing else.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WatchScanBench {
    private static final String ACCOUNT = "bench";

    @Param({"sqlite"})
    String store;

    @Param({"unsaid", "said"})
    String index;

    @Param("200")
    int transactions;

    private BenchJournal journal;

    @Setup(Level.Trial)
    public void setUp() {
        journal = BenchJournal.open(store);
        for (int i = 0; i < transactions; i++) {
            String txId = "tx-" + i;
            List<JournalEvent> events = new ArrayList<>(Samples.transaction(txId, ACCOUNT));
            if (index.equals("said")) {
                events.add(new OrdersWorking(txId, ACCOUNT, 0, 0, Samples.T0));
            }
            journal.journal().appendAll(events);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        journal.close();
    }

    @Benchmark
    public int scanWorking() {
        LiveOrders scan = LiveOrders.scanWorking(journal.journal(), ACCOUNT, LiveOrders.DEFAULT_SCAN);
        if (!scan.orders().isEmpty()) {
            throw new IllegalStateException("the bench account has nothing live");
        }
        return scan.transactions().size();
    }
}

package dev.keel.bench;

import dev.keel.core.account.AccountStatus;
import dev.keel.core.journal.LastRebalanceMoved;
import dev.keel.core.model.TradingState;
import java.time.LocalDate;
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
 * The read of an account's trading state that precedes every submit (law 9), on an account that has rebalanced
 * {@code rebalances} times: its stream holds one {@link LastRebalanceMoved} per rebalance, for as long as it trades.
 * Each read sees the stream as it ends now; the journal may keep what it read before.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AccountStateReadBench {
    private static final String ACCOUNT = "bench";

    @Param({"sqlite"})
    String store;

    /** Rebalances the account has had: a year of daily ones, or a fresh account. */
    @Param({"2", "250"})
    int rebalances;

    private BenchJournal journal;

    @Setup(Level.Trial)
    public void setUp() {
        journal = BenchJournal.open(store);
        LocalDate day = LocalDate.of(2026, 1, 2);
        for (int i = 0; i < rebalances; i++) {
            journal.journal().append(new LastRebalanceMoved(ACCOUNT, "tx-" + i, day.plusDays(i), Samples.T0));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        journal.close();
    }

    @Benchmark
    public TradingState status() {
        return AccountStatus.of(journal.journal(), ACCOUNT).state();
    }
}

package dev.keel.bench;

import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.Position;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Symbol;
import dev.keel.core.rebalance.RebalancePlan;
import dev.keel.core.rebalance.RebalancePlanner;
import dev.keel.core.rebalance.TargetAllocation;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Planning a rebalance of an account holding {@code positions} symbols, every one a target, all drifted. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PlannerBench {
    @Param("1000")
    int positions;

    RebalancePlanner planner;
    AccountSnapshot account;
    Map<Symbol, Quote> quotes;
    TargetAllocation target;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        List<Position> held = new ArrayList<>();
        quotes = new HashMap<>();
        TargetAllocation.Builder weights = TargetAllocation.builder();
        BigDecimal weight = BigDecimal.ONE.divide(BigDecimal.valueOf(positions), 12, RoundingMode.DOWN);
        BigDecimal rest = BigDecimal.ONE.subtract(weight.multiply(BigDecimal.valueOf(positions - 1)));
        for (int i = 0; i < positions; i++) {
            Symbol s = Symbol.of("S" + i);
            BigDecimal mid = BigDecimal.valueOf(10 + random.nextInt(490)).setScale(2, RoundingMode.UNNECESSARY);
            BigDecimal spread = new BigDecimal("0.01");
            quotes.put(s, new Quote(s, mid.subtract(spread), mid.add(spread), Samples.T0));
            held.add(new Position(s, BigDecimal.valueOf(1 + random.nextInt(200)), mid));
            weights.weight(s, i == positions - 1 ? rest : weight);
        }
        account = new AccountSnapshot("bench", new BigDecimal("25000.00"), new BigDecimal("25000.00"), held,
                Samples.T0);
        target = weights.driftThreshold(new BigDecimal("0.0001")).minTrade(new BigDecimal("1.00")).build();
        planner = new RebalancePlanner();
    }

    @Benchmark
    public RebalancePlan plan() {
        return planner.plan(account, quotes, target);
    }
}

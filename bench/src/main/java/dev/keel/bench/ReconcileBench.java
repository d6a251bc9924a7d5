package dev.keel.bench;

import dev.keel.core.execution.OrderTrack;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.Position;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import dev.keel.core.reconcile.Reconciler;
import dev.keel.core.reconcile.Reconciliation;
import java.math.BigDecimal;
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

/**
 * {@link Reconciler#reconcile}: {@code orders} filled orders spread over {@code positions} symbols, the account
 * before them, and the broker's account after them (which agrees, so every comparison runs to the end).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReconcileBench {
    @Param("10000")
    int orders;

    @Param("1000")
    int positions;

    Map<Symbol, BigDecimal> targets;
    AccountSnapshot before;
    AccountSnapshot after;
    List<OrderTrack> tracks;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(7);
        BigDecimal price = new BigDecimal("100.00");
        List<Symbol> symbols = new ArrayList<>();
        List<Position> held = new ArrayList<>();
        Map<Symbol, BigDecimal> quantities = new HashMap<>();
        targets = new HashMap<>();
        BigDecimal weight = BigDecimal.ONE.divide(BigDecimal.valueOf(positions), 12, java.math.RoundingMode.DOWN);
        for (int i = 0; i < positions; i++) {
            Symbol s = Symbol.of("S" + i);
            symbols.add(s);
            BigDecimal q = BigDecimal.valueOf(100 + random.nextInt(100));
            held.add(new Position(s, q, price));
            quantities.put(s, q);
            targets.put(s, weight);
        }
        BigDecimal cash = new BigDecimal("1000000.00");
        before = new AccountSnapshot("bench", cash, cash, held, Samples.T0);
        tracks = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            Symbol s = symbols.get(i % positions);
            Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
            BigDecimal q = BigDecimal.valueOf(1 + random.nextInt(5));
            String cid = "tx-" + i / 10 + ":" + side + "-" + s;
            tracks.add(new OrderTrack(side + "-" + s, cid, OrderSpec.marketQty(s, side, q), OrderState.FILLED,
                    "b-" + i, 1, 0, null, Samples.T0, q, price, null, null, 0));
            quantities.merge(s, side == Side.BUY ? q : q.negate(), BigDecimal::add);
            cash = side == Side.BUY ? cash.subtract(q.multiply(price)) : cash.add(q.multiply(price));
        }
        List<Position> now = new ArrayList<>();
        symbols.forEach(s -> now.add(new Position(s, quantities.get(s), price)));
        after = new AccountSnapshot("bench", cash, cash, now, Samples.T0);
    }

    @Benchmark
    public Reconciliation reconcile() {
        return Reconciler.reconcile(targets, new BigDecimal("0.05"), before, tracks, after);
    }
}

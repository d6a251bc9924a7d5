package dev.keel.store;

import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.OrderIntentRecorded;
import dev.keel.core.journal.OrderUpdated;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.core.journal.TransactionStarted;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.PlannedOrder;
import dev.keel.core.model.Position;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import dev.keel.core.model.TransactionStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The journal's JSON: encoding and decoding the events of one rebalance (start, four intents each with a fill, the
 * end), with the clock's microsecond timestamps real events carry. In the journal's own package, as the codec is
 * the store's business.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EventCodecBench {
    List<JournalEvent> events;
    List<StoredRow> rows;

    @Setup
    public void events() {
        Instant at = Instant.parse("2026-12-06T05:31:07.123456Z");
        String tx = "tx-20261206-053107-4f2a";
        String account = "acct-0042";
        List<PlannedOrder> plan = new ArrayList<>();
        for (String s : List.of("VTI", "TLT", "IEF", "GLD")) {
            plan.add(new PlannedOrder("buy-" + s, OrderSpec.marketNotional(Symbol.of(s), Side.BUY,
                    new BigDecimal("1000.00")), new BigDecimal("1000.00")));
        }
        AccountSnapshot before = new AccountSnapshot(account, new BigDecimal("10000.00"), new BigDecimal("10000.00"),
                List.of(new Position(Symbol.of("VTI"), BigDecimal.TEN, new BigDecimal("101.25"))), at);
        events = new ArrayList<>();
        events.add(new TransactionStarted(tx, account, "rebalance", tx, plan, before, new BigDecimal("100.00"), at));
        for (PlannedOrder o : plan) {
            String cid = tx + ":" + o.leg();
            events.add(new OrderIntentRecorded(tx, account, o.leg(), cid, o.spec(), at.plusNanos(17_000)));
            events.add(new OrderUpdated(tx, account, cid, "9c1d2e3f-" + o.leg(), OrderState.FILLED,
                    new BigDecimal("9.876543210"), new BigDecimal("101.25"), at.plusNanos(231_000)));
        }
        events.add(new TransactionEnded(tx, account, TransactionStatus.COMPLETED, null, null,
                "4 of 4 orders filled; every symbol within drift threshold", at.plusMillis(3)));
        rows = new ArrayList<>();
        long seq = 1;
        for (JournalEvent e : events) {
            EventCodec.Encoded encoded = EventCodec.encode(e);
            rows.add(new StoredRow(seq, e.streamId(), encoded.type(), encoded.payload(),
                    Checksums.of(seq, e.streamId(), encoded.type(), encoded.payload())));
            seq++;
        }
    }

    /** Returns the characters written, so nothing is optimised away. */
    @Benchmark
    public int encodeRebalance() {
        int chars = 0;
        for (JournalEvent e : events) {
            chars += EventCodec.encode(e).payload().length();
        }
        return chars;
    }

    @Benchmark
    public int decodeRebalance() {
        int seen = 0;
        for (StoredRow row : rows) {
            seen += EventCodec.decode(row).sequence() > 0 ? 1 : 0;
        }
        return seen;
    }
}

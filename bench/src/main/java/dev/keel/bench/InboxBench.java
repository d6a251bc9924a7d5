package dev.keel.bench;

import dev.keel.core.events.Delivery;
import dev.keel.core.events.EventSource;
import dev.keel.store.JdbcJournal;
import java.time.Clock;
import java.time.Duration;
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
 * What the embedded event inbox costs a worker per event, without running anything: push, take, acknowledge, each its
 * own commit. Alone, and with {@value #CONSUMERS} consumers taking from one inbox at once (each pushes one event and
 * takes whichever is due, as workers do).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class InboxBench {
    /** Consumers of the contended benchmark. */
    static final int CONSUMERS = 4;
    private static final Duration VISIBILITY = Duration.ofMinutes(5);
    private static final String BODY = "{\"event_id\":\"e\",\"account_id\":\"main\",\"type\":\"rebalance\"}";

    @Param({"sqlite", "postgresql"})
    String store;

    BenchJournal bench;
    JdbcJournal journal;

    @Setup(Level.Trial)
    public void open() {
        bench = BenchJournal.open(store);
        journal = bench.database();
    }

    @TearDown(Level.Trial)
    public void close() {
        bench.close();
    }

    /** One consumer: its name and the ids it pushes. */
    @State(Scope.Thread)
    public static class Consumer {
        private static final AtomicInteger NAMES = new AtomicInteger();
        final String name = "w" + NAMES.incrementAndGet();
        EventSource inbox;
        long next;

        @Setup(Level.Trial)
        public void open(InboxBench bench) {
            inbox = bench.journal.inbox(Clock.systemUTC(), name);
        }

        boolean cycle() {
            inbox.push(name + "-" + next++, "main", BODY);
            Delivery d = inbox.take(VISIBILITY).orElse(null);
            if (d != null) {
                inbox.ack(d);
            }
            return d != null;
        }
    }

    @Benchmark
    @Threads(1)
    public boolean pushTakeAck(Consumer consumer) {
        return consumer.cycle();
    }

    @Benchmark
    @Threads(CONSUMERS)
    public boolean pushTakeAckContended(Consumer consumer) {
        return consumer.cycle();
    }
}

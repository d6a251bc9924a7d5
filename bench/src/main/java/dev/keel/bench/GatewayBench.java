package dev.keel.bench;

import dev.keel.core.execution.BreakerPolicy;
import dev.keel.core.execution.BrokerGateway;
import dev.keel.core.execution.RetryPolicy;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Symbol;
import dev.keel.core.time.Sleeper;
import java.time.Clock;
import java.util.SplittableRandom;
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
 * A broker call bare against the same call through {@link BrokerGateway} (a resilience4j circuit breaker on the
 * system clock, as production wires it; reads also inside the retry loop). The difference is the wrapper's cost.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GatewayBench {
    ConstantBroker broker;
    BrokerGateway gateway;
    OrderSpec spec;
    String clientOrderId = "tx-1:buy-VTI";
    Symbol symbol = Symbol.of("VTI");

    @Setup
    public void setUp() {
        broker = new ConstantBroker();
        spec = broker.spec();
        gateway = new BrokerGateway(broker, BreakerPolicy.defaults().create("bench", Clock.systemUTC()),
                RetryPolicy.defaults(), Sleeper.system(), new SplittableRandom(1));
    }

    @Benchmark
    public BrokerOrder submitBare() {
        return broker.submit(clientOrderId, spec);
    }

    @Benchmark
    public BrokerOrder submitThroughGateway() {
        return gateway.submit(clientOrderId, spec);
    }

    @Benchmark
    public Quote readBare() {
        return broker.quote(symbol);
    }

    @Benchmark
    public Quote readThroughGateway() {
        return gateway.read(() -> broker.quote(symbol));
    }
}

package dev.keel.bench;

import dev.keel.alpaca.AlpacaBroker;
import dev.keel.alpaca.AlpacaKeys;
import dev.keel.alpaca.AlpacaSettings;
import dev.keel.core.broker.Broker;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import dev.keel.core.time.Sleeper;
import dev.keel.paper.PaperConfig;
import dev.keel.paper.PaperExchange;
import dev.keel.paper.server.KeyRing;
import dev.keel.paper.server.PaperServer;
import dev.keel.paper.server.ServerSettings;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One order, in process against over loopback HTTP: a market buy of one DBC submitted to the in-memory paper
 * exchange directly, and the same through {@link AlpacaBroker} to the exchange served by {@link PaperServer} on
 * 127.0.0.1 (JSON both ways, Jetty, the JDK's HTTP client); likewise a lookup by client order id. The difference is
 * what the adapter and the server add per request. Sampled, so the table has the p50 and the p99.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AlpacaHttpBench {
    private static final String SECRET = "bench-throwaway-secret";
    private static final Symbol DBC = Symbol.of("DBC");

    PaperExchange exchange;
    PaperServer server;
    AlpacaBroker alpaca;
    Broker paper;
    OrderSpec buy;
    /** Client order ids are never reused: a repeat is refused as a duplicate. Threads may share the state. */
    final AtomicLong n = new AtomicLong();

    @Setup(Level.Trial)
    public void setUp() {
        Clock clock = Clock.systemUTC();
        exchange = new PaperExchange(PaperConfig.builder().seed(1).startingCash(new BigDecimal("1000000000000"))
                .price(DBC, new BigDecimal("22.00")).fixedPrices().build(), clock, Sleeper.system());
        // Alpaca's 200 a minute would stop a benchmark at once: the budget is not what is measured here.
        server = PaperServer.start(exchange, ServerSettings.builder(KeyRing.sharedSecret(SECRET)).port(0)
                .rateLimit(Integer.MAX_VALUE, Duration.ofMinutes(1)).streamPoll(Duration.ZERO).build(), clock);
        AlpacaSettings settings = AlpacaSettings.builder(server.url()).dataUrl(server.url()).build();
        alpaca = new AlpacaBroker("bench", settings, new AlpacaKeys("bench", SECRET), clock, Sleeper.system());
        paper = exchange.broker("bench");
        buy = OrderSpec.marketQty(DBC, Side.BUY, BigDecimal.ONE);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        alpaca.close();
        server.close();
        exchange.close();
    }

    @Benchmark
    public BrokerOrder submitInProcess() {
        return paper.submit("p-" + n.incrementAndGet(), buy);
    }

    @Benchmark
    public BrokerOrder submitOverHttp() {
        return alpaca.submit("h-" + n.incrementAndGet(), buy);
    }

    @Benchmark
    public Optional<BrokerOrder> lookupInProcess() {
        return paper.orderByClientId("missing");
    }

    @Benchmark
    public Optional<BrokerOrder> lookupOverHttp() {
        return alpaca.orderByClientId("missing");
    }
}

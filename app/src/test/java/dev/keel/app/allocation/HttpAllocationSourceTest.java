package dev.keel.app.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.keel.core.allocation.AllocationValidator;
import dev.keel.core.allocation.GuardedAllocationSource;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.execution.BreakerPolicy;
import dev.keel.core.execution.RetryPolicy;
import dev.keel.core.model.Symbol;
import dev.keel.core.rebalance.TargetAllocation;
import dev.keel.core.time.ManualClock;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The allocation API against a real HTTP server on 127.0.0.1: timeouts, 5xx, invalid bodies, recovery. */
class HttpAllocationSourceTest {
    private static final String GOOD = "{\"account\": \"main\", \"allocations\": ["
            + "{\"symbol\": \"VTI\", \"weight\": 0.60}, {\"symbol\": \"TLT\", \"weight\": 0.40}]}";
    /**
     * The client's timeout: a held exchange runs it out (two tests wait it once each), and an answered one must beat it
     * on a loaded machine (at 300 ms a 404 once arrived as a timeout under a load average of 11).
     */
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    /** One scripted answer: a status and a body, or hold the exchange until the test ends. */
    private record Answer(int status, String body, boolean hold) {
        static Answer of(int status, String body) {
            return new Answer(status, body, false);
        }
    }

    private final Deque<Answer> script = new ArrayDeque<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-02T15:00:00Z"));
    private ExecutorService pool;
    private HttpServer server;
    private HttpAllocationSource source;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pool = Executors.newCachedThreadPool();
        server.setExecutor(pool);
        server.createContext("/alloc/main", this::answer);
        server.start();
        source = new HttpAllocationSource("main", url(), TIMEOUT, new AllocationValidator(new BigDecimal("0.05"),
                new BigDecimal("10.00"), new BigDecimal("0.01"), Set.of(Symbol.of("VTI"), Symbol.of("TLT"),
                Symbol.of("GLD"))));
    }

    @AfterEach
    void stop() throws InterruptedException {
        release.countDown(); // lets a held exchange finish, so the server can stop
        source.close();
        server.stop(0);
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/alloc/main");
    }

    private void answer(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        Answer a;
        synchronized (script) {
            a = script.isEmpty() ? Answer.of(200, GOOD) : script.pop();
        }
        try (exchange) {
            if (a.hold()) {
                try {
                    release.await(); // I/O wait: the client gives up long before the test releases it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private void then(Answer... answers) {
        synchronized (script) {
            script.addAll(java.util.List.of(answers));
        }
    }

    private static KeelException failure(Runnable call) {
        return catchThrowableOfType(KeelException.class, call::run);
    }

    @Test
    void validAnswerIsTheTarget() {
        TargetAllocation t = source.fetch();

        assertThat(t.weights()).containsEntry(Symbol.of("VTI"), new BigDecimal("0.60"))
                .containsEntry(Symbol.of("TLT"), new BigDecimal("0.40"));
        assertThat(t.driftThreshold()).isEqualByComparingTo("0.05");
        assertThat(source.name()).isEqualTo(url().toString());
    }

    @Test
    void serverThatHoldsTheAnswerPastTheTimeoutIsUnavailable() {
        then(new Answer(200, GOOD, true));

        KeelException e = failure(source::fetch);

        assertThat(e.code()).isEqualTo(ErrorCode.ALLOCATION_UNAVAILABLE);
        assertThat(e.getMessage()).isEqualTo(url() + ": no answer within " + TIMEOUT);
    }

    @Test
    void serverErrorIsUnavailable() {
        then(Answer.of(503, "{\"error\": \"maintenance\"}"));

        KeelException e = failure(source::fetch);

        assertThat(e.code()).isEqualTo(ErrorCode.ALLOCATION_UNAVAILABLE);
        assertThat(e.getMessage()).endsWith("answered HTTP 503");
    }

    @Test
    void notFoundIsInvalidNotRetriable() {
        then(Answer.of(404, ""));

        assertThat(failure(source::fetch)).satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.ALLOCATION_INVALID);
            assertThat(e.getMessage()).endsWith("answered HTTP 404, expected 200");
        });
    }

    @Test
    void badJsonIsInvalid() {
        then(Answer.of(200, "{\"allocations\": [{\"symbol\": \"VTI\", \"weight\": 0.6},"));

        KeelException e = failure(source::fetch);

        assertThat(e.code()).isEqualTo(ErrorCode.ALLOCATION_INVALID);
        assertThat(e.getMessage()).contains("the answer is not valid JSON");
    }

    @Test
    void weightsThatDoNotSumToOneAreInvalid() {
        then(Answer.of(200, "{\"allocations\": [{\"symbol\": \"VTI\", \"weight\": 0.6},"
                + " {\"symbol\": \"TLT\", \"weight\": 0.3}]}"));

        KeelException e = failure(source::fetch);

        assertThat(e.code()).isEqualTo(ErrorCode.ALLOCATION_INVALID);
        assertThat(e.getMessage()).isEqualTo(url() + ": weights must sum to 1 (within 0.0001), but sum to 0.9");
    }

    @Test
    void unknownSymbolIsInvalid() {
        then(Answer.of(200, "{\"allocations\": [{\"symbol\": \"VTI\", \"weight\": 0.6},"
                + " {\"symbol\": \"XYZ\", \"weight\": 0.4}]}"));

        assertThat(failure(source::fetch).getMessage())
                .endsWith("symbol XYZ is not one of the allowed symbols [GLD, TLT, VTI]");
    }

    @Test
    void duplicatesWeightsAsTextOtherAccountsAndHugeBodiesAreInvalid() {
        then(Answer.of(200, "{\"allocations\": [{\"symbol\": \"VTI\", \"weight\": 0.5},"
                        + " {\"symbol\": \"VTI\", \"weight\": 0.5}]}"),
                Answer.of(200, "{\"allocations\": [], \"allocations\": []}"),
                Answer.of(200, "{\"allocations\": [{\"symbol\": \"VTI\", \"weight\": \"1\"}]}"),
                Answer.of(200, "{\"account\": \"other\", \"allocations\": [{\"symbol\": \"VTI\", \"weight\": 1}]}"),
                Answer.of(200, "{\"allocations\": [], \"pad\": \"" + "x".repeat(HttpAllocationSource.MAX_BYTES)
                        + "\"}"));

        assertThat(failure(source::fetch).getMessage()).endsWith("symbol VTI appears more than once");
        assertThat(failure(source::fetch).getMessage()).contains("Duplicate field 'allocations'");
        assertThat(failure(source::fetch).getMessage()).contains("expected each allocation as");
        assertThat(failure(source::fetch).getMessage()).endsWith("the answer is for account \"other\", not 'main'");
        assertThat(failure(source::fetch).getMessage()).endsWith("the answer is larger than 65536 bytes");
    }

    @Test
    void guardedSourceRetriesTimeoutsAndServerErrorsThenRecovers() {
        then(new Answer(200, GOOD, true), Answer.of(500, ""), Answer.of(502, ""));
        GuardedAllocationSource guarded = new GuardedAllocationSource(source, RetryPolicy.builder().maxAttempts(4)
                .initialDelay(Duration.ofSeconds(1)).jitter(0.0).build(),
                BreakerPolicy.defaults().create("allocation:main", clock), clock, new SplittableRandom(1));

        TargetAllocation t = guarded.fetch();

        assertThat(t.weights()).hasSize(2);
        assertThat(requests).hasValue(4);
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-03-02T15:00:07Z")); // waited 1 s + 2 s + 4 s
    }

    @Test
    void breakerOpensOnAFailingServiceStopsAskingItAndClosesWhenItRecovers() {
        for (int i = 0; i < 4; i++) {
            then(Answer.of(503, ""));
        }
        CircuitBreaker breaker = BreakerPolicy.builder().window(4).minimumCalls(4).openFor(Duration.ofMinutes(1))
                .halfOpenCalls(1).build().create("allocation:main", clock);
        GuardedAllocationSource guarded = new GuardedAllocationSource(source, RetryPolicy.builder().maxAttempts(2)
                .initialDelay(Duration.ofSeconds(1)).jitter(0.0).build(), breaker, clock, new SplittableRandom(1));

        assertThat(failure(guarded::fetch).code()).isEqualTo(ErrorCode.ALLOCATION_UNAVAILABLE);
        assertThat(failure(guarded::fetch).code()).isEqualTo(ErrorCode.ALLOCATION_UNAVAILABLE);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        KeelException refused = failure(guarded::fetch);

        assertThat(refused.getMessage()).contains("circuit breaker 'allocation:main' is open");
        assertThat(requests).hasValue(4);
        clock.advance(Duration.ofMinutes(2));
        assertThat(guarded.fetch().weights()).hasSize(2);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(requests).hasValue(5);
    }

    @Test
    void refusedConnectionIsUnavailable() {
        HttpAllocationSource nowhere = new HttpAllocationSource("main", URI.create("http://127.0.0.1:1/alloc/main"),
                TIMEOUT, new AllocationValidator(BigDecimal.ZERO, BigDecimal.ONE, BigDecimal.ZERO, Set.of()));
        try (nowhere) {
            assertThat(failure(nowhere::fetch).code()).isEqualTo(ErrorCode.ALLOCATION_UNAVAILABLE);
        }
    }
}

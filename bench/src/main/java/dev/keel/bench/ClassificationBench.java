package dev.keel.bench;

import dev.keel.core.broker.BrokerException;
import dev.keel.core.broker.Delivery;
import dev.keel.core.broker.ErrorClassifier;
import dev.keel.core.error.ErrorCode;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Classifying a broker failure (law 10: from structured signals only), and, for scale, what raising the exception
 * that carries it costs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ClassificationBench {
    // Fields, not constants, so the JIT cannot fold the classification away.
    int serverStatus = 503;
    int forbiddenStatus = 403;
    String buyingPowerCode = "40310000";
    SocketTimeoutException timeout = new SocketTimeoutException("read timed out");

    /** A 503 with no broker code: AMBIGUOUS server error. */
    @Benchmark
    public ErrorClassifier.Classification httpStatus() {
        return ErrorClassifier.ofHttp(serverStatus, null);
    }

    /** Alpaca's 403 with code 40310000: insufficient buying power, a map lookup on the code. */
    @Benchmark
    public ErrorClassifier.Classification brokerCode() {
        return ErrorClassifier.ofHttp(forbiddenStatus, buyingPowerCode);
    }

    /** A read timeout after the request left: type tests down the exception hierarchy. */
    @Benchmark
    public ErrorClassifier.Classification transportTimeout() {
        return ErrorClassifier.ofTransport(timeout, true);
    }

    /** Classification plus the BrokerException that carries it, stack trace included. */
    @Benchmark
    public BrokerException classifyAndRaise() {
        ErrorClassifier.Classification c = ErrorClassifier.ofHttp(serverStatus, null);
        return BrokerException.of(c.code(), c.delivery(), "HTTP " + serverStatus);
    }

    /** For comparison: the same exception without classification. */
    @Benchmark
    public BrokerException raiseOnly() {
        return BrokerException.of(ErrorCode.BROKER_SERVER_ERROR, Delivery.AMBIGUOUS, "HTTP " + serverStatus);
    }
}

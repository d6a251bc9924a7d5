package dev.keel.paper;

import dev.keel.core.model.Symbol;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * One entry of the exchange's fault plan: what happens ({@code kind} and its parameter) and on which calls
 * (the selectors). Build with the factories and the {@code with...} selectors, or with the canonical constructor
 * from parsed configuration ({@link FaultKind#parse}, {@link RejectReason#parse}, {@link BrokerCall#parse}).
 *
 * <p>Semantics, imitating an HTTP broker through {@link dev.keel.core.broker.BrokerException}:
 * <ul>
 *   <li>{@code reject}: the reason's code, REFUSED (401 unauthorized: NOT_PROCESSED), Alpaca's status; nothing
 *       created.</li>
 *   <li>{@code rate-limited}: RATE_LIMITED, NOT_PROCESSED, 429, Retry-After = {@code duration}.</li>
 *   <li>{@code server-error}: BROKER_SERVER_ERROR, AMBIGUOUS, {@code status} (503 by default); nothing created.</li>
 *   <li>{@code timeout-before-accept}: BROKER_TIMEOUT, AMBIGUOUS; nothing done.</li>
 *   <li>{@code timeout-after-accept}: the call is carried out (an order is created and fills), then BROKER_TIMEOUT,
 *       AMBIGUOUS: the answer is lost.</li>
 *   <li>{@code connection-reset}: CONNECTION_RESET, AMBIGUOUS; nothing done.</li>
 *   <li>{@code slow}: the exchange sleeps {@code duration} on its Sleeper, then carries on (other rules still
 *       apply).</li>
 *   <li>{@code partial-fill}: the submitted order fills {@code fraction} and stays PARTIALLY_FILLED.
 *       {@code no-fill}: it stays ACCEPTED. Both act on submits only.</li>
 *   <li>{@code stale-quote}: the quote's time is {@code duration} old. {@code no-quote}: QUOTE_MISSING. Quotes
 *       only.</li>
 *   <li>{@code stream-drop}: an order-update stream ({@code keel paper serve}'s trade_updates) drops its
 *       connections instead of sending the event: the client must reconnect and backfill. Stream events only
 *       ({@link BrokerCall#STREAM}), which no other kind selects.</li>
 * </ul>
 * A rule counts every call that matches {@code op} and {@code symbol}; it fires on the {@code nth} such call (any,
 * if null), at most {@code times} times (unlimited, if null), with {@code probability} (always, if null) drawn from
 * the exchange's seeded generator only when everything else matched. Per call, every firing {@code slow} rule
 * sleeps, and the first other firing rule in plan order decides the outcome; later rules still count the call.
 *
 * @param kind        what happens
 * @param reason      the reason of a {@code reject}; required for it, null otherwise
 * @param duration    Retry-After of {@code rate-limited}, delay of {@code slow}, age of {@code stale-quote};
 *                    required for those, null otherwise
 * @param status      HTTP status of {@code server-error} (500-599, default 503); null otherwise
 * @param fraction    filled fraction of {@code partial-fill}, in (0, 1); null otherwise
 * @param op          the operation selected, null = any the kind applies to
 * @param symbol      the symbol selected (submit, quote, and cancel or lookup of a known order), null = any call
 * @param nth         fire on the n-th matching call only (1-based), null = any
 * @param times       fire at most this many times, null = unlimited
 * @param probability chance of firing (0..1) when the other selectors match, null = always
 */
public record FaultRule(FaultKind kind, RejectReason reason, Duration duration, Integer status, BigDecimal fraction,
                        BrokerCall op, Symbol symbol, Integer nth, Integer times, Double probability) {
    /** The default status of {@code server-error}: 503. */
    public static final int DEFAULT_SERVER_ERROR_STATUS = 503;

    public FaultRule {
        Objects.requireNonNull(kind, "kind");
        require(kind == FaultKind.REJECT, reason, "reason");
        boolean timed = kind == FaultKind.RATE_LIMITED || kind == FaultKind.SLOW || kind == FaultKind.STALE_QUOTE;
        require(timed, duration, "duration");
        if (duration != null && duration.isNegative()) {
            throw new IllegalArgumentException("duration must be at least 0, but was " + duration);
        }
        require(kind == FaultKind.PARTIAL_FILL, fraction, "fraction");
        if (fraction != null && (fraction.signum() <= 0 || fraction.compareTo(BigDecimal.ONE) >= 0)) {
            throw new IllegalArgumentException("fraction must be in (0, 1), but was " + fraction);
        }
        if (kind == FaultKind.SERVER_ERROR && status == null) {
            status = DEFAULT_SERVER_ERROR_STATUS;
        }
        require(kind == FaultKind.SERVER_ERROR, status, "status");
        if (status != null && (status < 500 || status > 599)) {
            throw new IllegalArgumentException("status must be between 500 and 599, but was " + status);
        }
        if (op != null && !kind.applicableOps().contains(op)) {
            throw new IllegalArgumentException(kind.wire() + " applies only to " + kind.applicableOps()
                    + ", but op was " + op.wire());
        }
        if (nth != null && nth < 1) {
            throw new IllegalArgumentException("nth must be at least 1, but was " + nth);
        }
        if (times != null && times < 1) {
            throw new IllegalArgumentException("times must be at least 1, but was " + times);
        }
        if (probability != null && !(probability >= 0.0 && probability <= 1.0)) {
            throw new IllegalArgumentException("probability must be between 0 and 1, but was " + probability);
        }
    }

    private static void require(boolean needed, Object value, String name) {
        if (needed && value == null) {
            throw new IllegalArgumentException(name + " is required for this fault kind, but was null");
        }
        if (!needed && value != null) {
            throw new IllegalArgumentException(name + " does not apply to this fault kind, but was " + value);
        }
    }

    private static FaultRule of(FaultKind kind) {
        return new FaultRule(kind, null, null, null, null, null, null, null, null, null);
    }

    public static FaultRule reject(RejectReason reason) {
        return new FaultRule(FaultKind.REJECT, reason, null, null, null, null, null, null, null, null);
    }

    public static FaultRule rateLimited(Duration retryAfter) {
        return new FaultRule(FaultKind.RATE_LIMITED, null, retryAfter, null, null, null, null, null, null, null);
    }

    public static FaultRule serverError() {
        return of(FaultKind.SERVER_ERROR);
    }

    public static FaultRule serverError(int status) {
        return new FaultRule(FaultKind.SERVER_ERROR, null, null, status, null, null, null, null, null, null);
    }

    public static FaultRule timeoutBeforeAccept() {
        return of(FaultKind.TIMEOUT_BEFORE_ACCEPT);
    }

    public static FaultRule timeoutAfterAccept() {
        return of(FaultKind.TIMEOUT_AFTER_ACCEPT);
    }

    public static FaultRule connectionReset() {
        return of(FaultKind.CONNECTION_RESET);
    }

    public static FaultRule slow(Duration delay) {
        return new FaultRule(FaultKind.SLOW, null, delay, null, null, null, null, null, null, null);
    }

    public static FaultRule partialFill(BigDecimal fraction) {
        return new FaultRule(FaultKind.PARTIAL_FILL, null, null, null, fraction, null, null, null, null, null);
    }

    public static FaultRule noFill() {
        return of(FaultKind.NO_FILL);
    }

    public static FaultRule staleQuote(Duration age) {
        return new FaultRule(FaultKind.STALE_QUOTE, null, age, null, null, null, null, null, null, null);
    }

    public static FaultRule noQuote() {
        return of(FaultKind.NO_QUOTE);
    }

    public static FaultRule streamDrop() {
        return of(FaultKind.STREAM_DROP);
    }

    public FaultRule withOp(BrokerCall newOp) {
        return new FaultRule(kind, reason, duration, status, fraction, newOp, symbol, nth, times, probability);
    }

    public FaultRule withSymbol(Symbol newSymbol) {
        return new FaultRule(kind, reason, duration, status, fraction, op, newSymbol, nth, times, probability);
    }

    public FaultRule withNth(int newNth) {
        return new FaultRule(kind, reason, duration, status, fraction, op, symbol, newNth, times, probability);
    }

    public FaultRule withTimes(int newTimes) {
        return new FaultRule(kind, reason, duration, status, fraction, op, symbol, nth, newTimes, probability);
    }

    public FaultRule withProbability(double newProbability) {
        return new FaultRule(kind, reason, duration, status, fraction, op, symbol, nth, times, newProbability);
    }

    /** Whether a call of {@code call} on {@code callSymbol} (null when the call has none) matches the selectors. */
    boolean selects(BrokerCall call, Symbol callSymbol) {
        boolean opMatches = op == null ? kind.applicableOps().contains(call) : op == call;
        return opMatches && (symbol == null || symbol.equals(callSymbol));
    }
}

package dev.keel.app.config;

import dev.keel.core.error.ErrorCode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * One entry of the paper exchange's fault plan. A fault fires on calls of {@code op} (for {@code symbol} only, when
 * given): scripted on the {@code nth} call and the {@code times - 1} calls after it, or on each call with
 * {@code probability} (seeded), at most {@code times} times; with neither, on every call.
 *
 * @param op          the broker operation it affects
 * @param kind        what goes wrong
 * @param reason      the reject reason; set exactly when {@code kind} is {@link Kind#REJECT}
 * @param symbol      only calls for this symbol, or null for all
 * @param nth         1-based number of the first call it fires on, or null
 * @param times       how many times it fires; 1 when {@code nth} is given without it; null for no limit
 * @param probability chance per call in [0, 1], or null; never together with {@code nth}
 * @param retryAfter  the Retry-After of {@link Kind#RATE_LIMITED}, or null for none
 * @param status      HTTP status of {@link Kind#SERVER_ERROR} (500-599, default 500), else null
 * @param delay       how long a {@link Kind#SLOW} call takes, else null
 * @param fraction    the filled share of the quantity for {@link Kind#PARTIAL_FILL}, in (0, 1), else null
 * @param age         how old a {@link Kind#STALE_QUOTE} is (default 15m), else null
 */
public record FaultSettings(Op op, Kind kind, Reason reason, String symbol, Integer nth, Integer times,
                           Double probability, Duration retryAfter, Integer status, Duration delay,
                           BigDecimal fraction, Duration age) {
    /** Status of a server error when none is given: 500. */
    public static final int DEFAULT_STATUS = 500;
    /** Age of a stale quote when none is given: 15 minutes. */
    public static final Duration DEFAULT_AGE = Duration.ofMinutes(15);

    /** The broker operations a fault can affect. */
    public enum Op implements WireName {
        SUBMIT, CANCEL, LOOKUP, POSITIONS, ACCOUNT, OPEN_ORDERS, QUOTE, CLOCK,
        /** One event of {@code keel paper serve}'s trade_updates stream: only {@link Kind#STREAM_DROP} takes it. */
        STREAM
    }

    /** What goes wrong. */
    public enum Kind implements WireName {
        /** The broker refuses the request with {@link Reason}. */
        REJECT,
        /** HTTP 429, with Retry-After when given. */
        RATE_LIMITED,
        /** HTTP 5xx after the request arrived: for a submit, the outcome is unknown. */
        SERVER_ERROR,
        /** The request times out before the broker accepted it: nothing happened. */
        TIMEOUT_BEFORE_ACCEPT,
        /** The broker accepted the request but the answer is lost: the order exists. */
        TIMEOUT_AFTER_ACCEPT,
        /** The connection drops mid-request. */
        CONNECTION_RESET,
        /** The call succeeds after {@code delay}. */
        SLOW,
        /** The order fills {@code fraction} of its quantity and no more. */
        PARTIAL_FILL,
        /** The order is accepted and never fills. */
        NO_FILL,
        /** The quote is {@code age} old. */
        STALE_QUOTE,
        /** No quote is available. */
        NO_QUOTE,
        /** {@code keel paper serve}'s trade_updates stream drops its connections instead of sending the event. */
        STREAM_DROP
    }

    /** Why a {@link Kind#REJECT} refuses, each a catalog code. */
    public enum Reason implements WireName {
        INSUFFICIENT_BUYING_POWER(ErrorCode.INSUFFICIENT_BUYING_POWER),
        SYMBOL_NOT_FOUND(ErrorCode.SYMBOL_NOT_FOUND),
        MARKET_CLOSED(ErrorCode.MARKET_CLOSED),
        INVALID_ORDER(ErrorCode.INVALID_ORDER),
        UNAUTHORIZED(ErrorCode.UNAUTHORIZED);

        private final ErrorCode code;

        Reason(ErrorCode code) {
            this.code = code;
        }

        /** The catalog code the broker's refusal maps to. */
        public ErrorCode code() {
            return code;
        }
    }

    public FaultSettings {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.REJECT) != (reason != null)) {
            throw new IllegalArgumentException("reason must be given exactly for kind reject, but kind was "
                    + kind.wire() + " and reason " + reason);
        }
        if (nth != null && probability != null) {
            throw new IllegalArgumentException("nth and probability are exclusive, but were " + nth + " and " + probability);
        }
    }
}

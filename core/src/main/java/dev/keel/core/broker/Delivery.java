package dev.keel.core.broker;

/**
 * What a failed broker request says about whether the broker acted on it. This, not the error message, decides
 * whether an order submit is UNKNOWN (law 3).
 */
public enum Delivery {
    /** Certainly not acted on: never left Keel, connection refused, 401/403/429 before processing. */
    NOT_PROCESSED,
    /** The broker answered with a definite refusal (a 4xx rejection): nothing was created. */
    REFUSED,
    /** The broker may have acted on it: timeout after sending, reset mid-exchange, 5xx, unparseable answer. */
    AMBIGUOUS
}

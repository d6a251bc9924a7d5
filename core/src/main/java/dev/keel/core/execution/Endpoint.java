package dev.keel.core.execution;

import java.util.Locale;

/**
 * The groups of broker calls that resilience policies are set for: each may override the broker's defaults and has
 * its own circuit breaker per account.
 */
public enum Endpoint {
    /** Placing an order. */
    SUBMIT,
    /** Cancelling an order. */
    CANCEL,
    /** Looking an order up by client order id (resolving UNKNOWN, polling fills). */
    LOOKUP,
    /** Every read: account, positions, open orders, quotes, market clock. */
    READS;

    /** The lower-case name used in configuration and metrics: {@code submit}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package dev.keel.core.journal;

import java.time.Instant;

/**
 * Calls Keel refused without sending them, counted since {@code since}: one event per summary interval and one when
 * a breaker leaves OPEN, so an outage does not flood the journal. Every refusal is also counted in the metrics.
 *
 * @param accountId the account whose calls were refused, or null for the broker as a whole
 * @param endpoint  {@code submit}, {@code cancel}, {@code lookup} or {@code reads}
 * @param count     refusals since {@code since}, at least 1
 * @param since     the first refusal this event counts
 */
public record CallsRefused(String broker, String accountId, String endpoint, Reason reason, long count, Instant since,
                           Instant at) implements BrokerEvent {

    /** Why the calls were refused. */
    public enum Reason {
        /** The endpoint's circuit breaker was open (BROKER_UNAVAILABLE). */
        BREAKER_OPEN,
        /** A retry would have exceeded the broker's retry budget: the call failed with its own error. */
        RETRY_BUDGET,
        /** The broker's rate limit had no permit within the allowed wait (RATE_LIMITED, not sent). */
        RATE_LIMIT,
        /** The broker's or the account's bulkhead was full (BULKHEAD_FULL). */
        BULKHEAD
    }
}

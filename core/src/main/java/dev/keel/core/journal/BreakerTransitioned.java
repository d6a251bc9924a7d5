package dev.keel.core.journal;

import java.time.Instant;

/**
 * A circuit breaker changed state.
 *
 * @param endpoint     {@code submit}, {@code cancel}, {@code lookup} or {@code reads}
 * @param connection   {@code primary} or {@code backup}
 * @param from         the state it left: CLOSED, OPEN, HALF_OPEN...
 * @param to           the state it entered
 * @param reason       why, e.g. {@code failure-rate}, {@code failure-count}, {@code slow-call-rate},
 *                     {@code open-for elapsed}, {@code success-threshold}, {@code trial call failed}
 * @param failureRate  the failure rate of the window that decided, in percent; -1 when not yet judged
 * @param slowCallRate the slow-call rate of that window, in percent; -1 when not yet judged
 */
public record BreakerTransitioned(String broker, String accountId, String endpoint, String connection, String from,
                                  String to, String reason, double failureRate, double slowCallRate, Instant at)
        implements BrokerEvent {
}

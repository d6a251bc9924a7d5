package dev.keel.core.journal;

import java.time.Duration;
import java.time.Instant;

/**
 * The broker answered 429 with a Retry-After: every account's calls to it wait until {@code until}.
 *
 * @param accountId  the account whose call was answered 429
 * @param retryAfter what the broker asked for
 */
public record BrokerPaused(String broker, String accountId, Duration retryAfter, Instant until, Instant at)
        implements BrokerEvent {
}

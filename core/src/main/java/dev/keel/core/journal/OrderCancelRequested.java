package dev.keel.core.journal;

import java.time.Instant;

/**
 * Keel is about to ask the broker to cancel the order: durable before the request, so a restart knows a cancel may
 * have reached the broker.
 *
 * @param attempt 1 for the first request
 */
public record OrderCancelRequested(String txId, String accountId, String clientOrderId, String brokerOrderId,
                                   int attempt, String reason, Instant at) implements OrderEvent {
}

package dev.keel.core.journal;

import dev.keel.core.model.OrderSpec;
import java.time.Instant;

/**
 * Law 1: the order's intent, with its client order id, is durable before any broker call that could create it.
 *
 * @param leg           the order's name within the transaction
 * @param clientOrderId derived from (txId, leg) and nothing else
 */
public record OrderIntentRecorded(String txId, String accountId, String leg, String clientOrderId, OrderSpec spec,
                                  Instant at) implements OrderEvent {
}

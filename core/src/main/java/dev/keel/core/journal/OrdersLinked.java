package dev.keel.core.journal;

import java.time.Instant;

/**
 * Two orders of this transaction are one-cancels-other: when either fills, even in part, the other must be cancelled.
 * A link is between two distinct orders, both of this transaction, each in at most one live link (no orphan, no
 * cycle); {@link OrdersUnlinked} ends it.
 *
 * @param link             the link's name within the transaction, e.g. {@code protect-1}
 * @param takeProfitOrderId client order id of the limit leg
 * @param stopLossOrderId   client order id of the stop leg
 * @param heldByBroker      true when the broker holds the pair (its own OCO class); false when Keel emulates it
 */
public record OrdersLinked(String txId, String accountId, String link, String takeProfitOrderId,
                           String stopLossOrderId, boolean heldByBroker, Instant at) implements OperationEvent {
}

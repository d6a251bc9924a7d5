package dev.keel.core.journal;

import dev.keel.core.model.OrderSpec;
import java.time.Instant;

/**
 * The operation acts on an order it did not place (a cancel-all, a close, a modification): which one, as the broker
 * reported it when the operation began. The order's own events go to its own transaction's stream.
 *
 * @param ownerTxId the transaction that placed it, or null when the journal does not know the order
 * @param role      what the operation does with it: {@code cancel}, {@code replace}...
 */
public record OrderReferenced(String txId, String accountId, String clientOrderId, String brokerOrderId,
                              String ownerTxId, OrderSpec spec, String role, Instant at) implements OperationEvent {
}

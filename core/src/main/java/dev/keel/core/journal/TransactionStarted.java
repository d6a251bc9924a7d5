package dev.keel.core.journal;

import dev.keel.core.model.PlannedOrder;
import java.time.Instant;
import java.util.List;

/**
 * A transaction begins: the plan is durable before any order of it reaches a broker.
 *
 * @param txId          the transaction (operation) id
 * @param accountId     the account
 * @param operation     {@code rebalance}, {@code force_rebalance}...
 * @param correlationId ties this transaction's logs, events and notifications together
 * @param targetOrders  the plan as computed before the first order
 * @param at            when
 */
public record TransactionStarted(String txId, String accountId, String operation, String correlationId,
                                 List<PlannedOrder> targetOrders, Instant at)
        implements TransactionEvent {
    public TransactionStarted {
        targetOrders = List.copyOf(targetOrders);
    }
}

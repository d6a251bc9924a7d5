package dev.keel.core.journal;

import dev.keel.core.model.AccountSnapshot;
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
 * @param before        the account as the broker reported it when the plan was made: reconciliation compares
 *                      the broker's positions afterwards with these plus what the journal says filled
 * @param cashReserve   the cash the buffer holds back from buys (equity less investable at planning)
 * @param at            when
 */
public record TransactionStarted(String txId, String accountId, String operation, String correlationId,
                                 List<PlannedOrder> targetOrders, AccountSnapshot before,
                                 java.math.BigDecimal cashReserve, Instant at)
        implements TransactionEvent {
    public TransactionStarted {
        targetOrders = List.copyOf(targetOrders);
    }
}

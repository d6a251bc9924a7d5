package dev.keel.core.journal;

/** The events of one order intent within its transaction, each naming the order by its client order id. */
public sealed interface OrderEvent extends TransactionEvent permits OrderIntentRecorded, OrderAttemptFailed,
        OrderLookedUp, OrderUpdated, OrderFailed, OrderCancelRequested, OrderCancelFailed {
    String clientOrderId();
}

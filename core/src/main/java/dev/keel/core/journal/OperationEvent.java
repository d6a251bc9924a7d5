package dev.keel.core.journal;

/**
 * The events of an order operation's saga (bracket, OCO, close, bulk cancel, modification) beside its orders' own
 * {@link OrderEvent}s: what was asked, every state move, which orders are linked and which orders of other
 * transactions it acted on, and each order's result.
 */
public sealed interface OperationEvent extends TransactionEvent permits OperationRequested, OperationStateChanged,
        OrdersLinked, OrdersUnlinked, OrderReferenced, OrderOutcomeRecorded, DoubleFillDetected {
}

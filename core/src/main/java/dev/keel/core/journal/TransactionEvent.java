package dev.keel.core.journal;

/** The events of a transaction's stream; the stream id is the transaction id. */
public sealed interface TransactionEvent extends JournalEvent permits TransactionStarted, OrderEvent, BuysSized,
        ReconciliationRecorded, TransactionEnded, TransactionResumed, PlanInputsRecorded, OperationEvent,
        OrdersWorking {
    String txId();

    @Override
    default String streamId() {
        return txId();
    }

    @Override
    default String streamKind() {
        return TRANSACTION;
    }
}

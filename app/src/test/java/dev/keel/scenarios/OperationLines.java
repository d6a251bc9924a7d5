package dev.keel.scenarios;

import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.OperationRequested;
import dev.keel.core.journal.OperationStateChanged;
import dev.keel.core.journal.OrderAttemptFailed;
import dev.keel.core.journal.OrderCancelFailed;
import dev.keel.core.journal.OrderCancelRequested;
import dev.keel.core.journal.OrderFailed;
import dev.keel.core.journal.OrderIntentRecorded;
import dev.keel.core.journal.OrderLookedUp;
import dev.keel.core.journal.OrderOutcomeRecorded;
import dev.keel.core.journal.OrderReferenced;
import dev.keel.core.journal.OrderUpdated;
import dev.keel.core.journal.OrdersLinked;
import dev.keel.core.journal.OrdersUnlinked;
import dev.keel.core.journal.OrdersWorking;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.core.journal.TransactionResumed;
import dev.keel.core.journal.TransactionStarted;
import dev.keel.core.journal.TransactionEvent;
import dev.keel.core.journal.Journal;
import java.math.BigDecimal;
import java.util.List;

/** A transaction's events as compact lines, for whole-list assertions of order operations. */
final class OperationLines {
    private OperationLines() {
    }

    static List<String> of(Journal journal, String txId) {
        return journal.stream(txId).stream().map(JournalRecord::event).filter(TransactionEvent.class::isInstance)
                .map(e -> line((TransactionEvent) e)).toList();
    }

    private static String line(TransactionEvent event) {
        return switch (event) {
            case TransactionStarted s -> "started " + s.operation();
            case OperationRequested r -> "requested " + r.type();
            case OperationStateChanged c -> "state " + c.from() + "->" + c.to();
            case OrderReferenced r -> "referenced " + r.clientOrderId() + " owner " + r.ownerTxId() + " role "
                    + r.role();
            case OrderOutcomeRecorded o -> "outcome " + o.clientOrderId() + " " + o.outcome() + " filled "
                    + q(o.filledQuantity()) + (o.code() == null ? "" : " " + o.code());
            case OrderIntentRecorded i -> "intent " + i.clientOrderId() + " " + i.spec().describe();
            case OrderAttemptFailed f -> "attempt " + f.clientOrderId() + " #" + f.attempt() + " " + f.code();
            case OrderLookedUp l -> "lookup " + l.clientOrderId() + " " + l.outcome();
            case OrderUpdated u -> "broker " + u.clientOrderId() + " " + u.state() + " " + q(u.filledQuantity());
            case OrderFailed f -> "failed " + f.clientOrderId() + " " + f.state() + " " + f.code();
            case OrderCancelRequested c -> "cancel " + c.clientOrderId() + " #" + c.attempt();
            case OrderCancelFailed f -> "cancel failed " + f.clientOrderId() + " #" + f.attempt() + " " + f.code();
            case TransactionEnded e -> "ended " + e.status() + (e.errorCode() == null ? "" : " " + e.errorCode());
            case TransactionResumed r -> "resumed";
            case OrdersLinked l -> "linked " + l.link() + " " + l.takeProfitOrderId() + " " + l.stopLossOrderId()
                    + (l.heldByBroker() ? " held" : " emulated");
            case OrdersUnlinked u -> "unlinked " + u.link() + ": " + u.reason();
            case OrdersWorking w -> "working " + w.orders() + " orders " + w.links() + " links";
            default -> event.getClass().getSimpleName();
        };
    }

    private static String q(BigDecimal v) {
        return v == null ? "-" : v.stripTrailingZeros().toPlainString();
    }
}

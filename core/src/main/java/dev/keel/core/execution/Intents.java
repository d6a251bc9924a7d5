package dev.keel.core.execution;

import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.OrderIntentRecorded;
import dev.keel.core.model.OrderSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Law 1 in one place: an order's intent, with its client order id, is durable in the journal before any broker call
 * that could create the order. Every way of placing an order starts here; an intent the ledger already holds (a
 * resumed operation) is not journaled again.
 */
final class Intents {
    /** One order to intend: its leg, the client order id derived for it (law 2) and what to send. */
    record Intent(String leg, String clientOrderId, OrderSpec spec) {
    }

    private final Clock clock;

    Intents(Clock clock) {
        this.clock = clock;
    }

    /** Journals the intent of {@code leg} unless the ledger knows it; returns its client order id. */
    String intend(TransactionLedger ledger, String leg, OrderSpec spec) {
        String cid = ClientOrderIds.derive(ledger.context().txId(), leg);
        intend(ledger, List.of(new Intent(leg, cid, spec)));
        return cid;
    }

    /**
     * Journals, in one append, the intents the ledger does not know yet: orders sent together (an OCO pair) are
     * intended together, so a crash never leaves half a pair intended.
     */
    void intend(TransactionLedger ledger, List<Intent> intents) {
        intend(ledger, List.of(), intents);
    }

    /**
     * Journals {@code first} and, in the same append after it, the intents the ledger does not know yet: a decision
     * and the orders it makes (a rebalance's buy sizing and its buys) are durable together, in one commit.
     */
    void intend(TransactionLedger ledger, List<? extends JournalEvent> first, List<Intent> intents) {
        OperationContext ctx = ledger.context();
        List<JournalEvent> events = new ArrayList<>(first);
        for (Intent i : intents) {
            if (ledger.view().order(i.clientOrderId()) == null) {
                events.add(new OrderIntentRecorded(ctx.txId(), ctx.accountId(), i.leg(), i.clientOrderId(), i.spec(),
                        clock.instant()));
            }
        }
        if (!events.isEmpty()) {
            ledger.recordAll(events);
        }
    }
}

package dev.keel.core.ops;

import dev.keel.core.broker.BrokerException;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.execution.TransactionLedger;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.OperationParams;
import dev.keel.core.model.OperationState;
import dev.keel.core.model.PlannedOrder;
import java.util.List;

/**
 * Cancels every open order of the account, or of one symbol: each order at the broker is referenced (one append, so a
 * resumed run cancels the same set), then cancelled through its own transaction when the journal knows it. The
 * report has one line per order: cancelled, already filled, already ended, failed with its code, or unconfirmed.
 *
 * <p>Ends COMPLETED when nothing can fill any more; PARTIALLY_COMPLETED when some cancels failed (those orders may
 * still fill) and FAILED when every one did; NEEDS_REVIEW when a cancel could not be confirmed either way (law 3).
 */
final class BulkCancelSaga implements OperationSaga {
    private final OperationSupport support;
    private final Cancels cancels;

    BulkCancelSaga(OperationSupport support) {
        this.support = support;
        this.cancels = new Cancels(support);
    }

    @Override
    public void validate(OperationParams params, AccountSnapshot account) {
        // nothing to refuse: any symbol, or none for all
    }

    @Override
    public List<PlannedOrder> planned(OperationParams params, AccountSnapshot account) {
        return List.of();
    }

    @Override
    public boolean addsRisk() {
        return false;
    }

    @Override
    public OperationOutcome run(TransactionLedger ledger) {
        OperationView view = support.view(ledger);
        if (view.isTerminal()) {
            return OperationOutcome.of(view, ledger.context().accountId());
        }
        if (view.state() == OperationState.PENDING) {
            List<BrokerOrder> open;
            try {
                open = cancels.open(view.params().symbol());
            } catch (BrokerException e) {
                return support.finish(ledger, OperationState.FAILED, e.code(), "nothing cancelled: could not read "
                        + "the open orders at the broker: " + e.getMessage(), null);
            }
            if (open.isEmpty()) {
                return support.finish(ledger, OperationState.COMPLETED, null, "nothing to cancel", null);
            }
            cancels.begin(ledger, open, "cancel");
        }
        cancels.cancelReferenced(ledger, "bulk cancel " + ledger.context().txId());
        return end(ledger);
    }

    static OperationOutcome end(OperationSupport support, TransactionLedger ledger, String what) {
        Cancels.Tally tally = Cancels.Tally.of(support.view(ledger));
        if (!tally.unknown().isEmpty()) {
            return support.finish(ledger, OperationState.NEEDS_REVIEW, ErrorCode.CANCEL_UNCONFIRMED, what
                    + tally.describe() + "; positions may still move", null);
        }
        if (!tally.failed().isEmpty()) {
            boolean none = tally.failed().size() == tally.total();
            return support.finish(ledger, none ? OperationState.FAILED : OperationState.PARTIALLY_COMPLETED,
                    tally.firstCode(), what + tally.describe(), null);
        }
        return support.finish(ledger, OperationState.COMPLETED, null, what + tally.describe(), null);
    }

    private OperationOutcome end(TransactionLedger ledger) {
        return end(support, ledger, "");
    }
}

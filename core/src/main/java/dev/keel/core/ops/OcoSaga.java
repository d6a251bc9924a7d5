package dev.keel.core.ops;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.execution.CancelResult;
import dev.keel.core.execution.OrderTrack;
import dev.keel.core.execution.TransactionLedger;
import dev.keel.core.journal.OrdersLinked;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.OperationParams;
import dev.keel.core.model.OperationState;
import dev.keel.core.model.PlannedOrder;
import dev.keel.core.model.TradingState;
import java.math.BigDecimal;
import java.util.List;

/**
 * Protects a long position the account already holds with a one-cancels-other pair: a take-profit limit and a
 * stop-loss, each selling {@code quantity}. COMPLETED once the broker holds both legs (or one already filled); the
 * link stays for the protection watch. A leg that cannot be placed cancels the other: ROLLED_BACK, or FAILED when
 * nothing reached the broker. Adds no risk, so it runs on an account that only reduces risk.
 */
final class OcoSaga implements OperationSaga {
    private final OperationSupport support;
    private final Protection protection;

    OcoSaga(OperationSupport support) {
        this.support = support;
        this.protection = new Protection(support);
    }

    @Override
    public void validate(OperationParams p, AccountSnapshot account) {
        Checks.protectivePair(p);
        BigDecimal held = account.quantity(p.symbol());
        if (held.compareTo(p.quantity()) < 0) {
            throw new KeelException(ErrorCode.INVALID_ORDER, "quantity must be at most the " + held.toPlainString()
                    + " " + p.symbol() + " the account holds, but was " + p.quantity().toPlainString());
        }
    }

    @Override
    public List<PlannedOrder> planned(OperationParams p, AccountSnapshot account) {
        return Protection.planned(support, p, p.quantity());
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
            support.move(ledger, OperationState.IN_PROGRESS, "placing the protective pair");
        }
        view = support.view(ledger);
        OrdersLinked pair = view.links().isEmpty() ? null : view.links().get(0);
        if (view.state() != OperationState.ROLLING_BACK) {
            pair = pair == null ? protection.place(ledger, 1, view.params(), view.params().quantity()) : pair;
            protection.ensure(ledger, pair);
        }
        view = support.view(ledger);
        List<OrderTrack> legs = Protection.legs(view, pair);
        OrderTrack failed = legs.stream().filter(Protection::failed).findFirst().orElse(null);
        if (failed == null && view.state() != OperationState.ROLLING_BACK) {
            for (OrderTrack leg : legs) {
                if (Protection.unresolved(leg)) {
                    return support.finish(ledger, OperationState.NEEDS_REVIEW, ErrorCode.ORDER_OUTCOME_UNKNOWN,
                            "the outcome of " + leg.clientOrderId() + " is unknown: the broker could not be asked ("
                                    + leg.lastError() + ")", null);
                }
            }
            return support.finish(ledger, OperationState.COMPLETED, null, "protecting " + legs.get(0).spec()
                    .quantity().toPlainString() + " " + legs.get(0).spec().symbol() + " with " + pair.link() + " ("
                    + (pair.heldByBroker() ? "held by the broker" : "emulated by Keel") + ")", null);
        }
        String why = failed == null ? lastReason(view)
                : "protective order " + failed.clientOrderId() + " " + failed.state() + " (" + failed.lastError()
                + "): " + failed.lastMessage();
        ErrorCode code = failed == null ? ErrorCode.PROTECTION_FAILED : failed.lastError();
        boolean placed = legs.stream().anyMatch(t -> t.acceptedAt() != null);
        if (placed) {
            support.move(ledger, OperationState.ROLLING_BACK, why);
        }
        if (!view.isUnlinked(pair.link())) {
            for (CancelResult r : protection.cancel(ledger, pair, placed ? "rollback: its twin was not placed"
                    : "not placed")) {
                if (!r.settled()) {
                    return support.finish(ledger, OperationState.NEEDS_REVIEW, r.code() == null
                            ? ErrorCode.CANCEL_UNCONFIRMED : r.code(), why + "; could not confirm the cancel of "
                            + r.clientOrderId() + ": " + r.message(), TradingState.REDUCING);
                }
            }
        }
        return support.finish(ledger, placed ? OperationState.ROLLED_BACK : OperationState.FAILED,
                code == null ? ErrorCode.PROTECTION_FAILED : code, why + (placed ? "; the other leg was cancelled"
                        : "; nothing was placed"), null);
    }

    private static String lastReason(OperationView view) {
        var moves = view.moves();
        return moves.get(moves.size() - 1).reason();
    }
}

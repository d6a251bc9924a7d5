package dev.keel.core.ops;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.execution.ClientOrderIds;
import dev.keel.core.execution.OrderTrack;
import dev.keel.core.execution.TransactionLedger;
import dev.keel.core.execution.TransactionView;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.OperationParams;
import dev.keel.core.model.OperationState;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.PlannedOrder;
import dev.keel.core.model.Side;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.model.OperationType;
import dev.keel.core.journal.TransactionSummary;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Rolls back a PARTIAL rebalance with compensating orders, as a saga of its own: for every order of the rebalance that
 * filled (in part or in full), a market order the other way for the quantity that filled (leg {@code undo-<leg>}).
 * Sells go first, as the rebalance's did, so their cash pays for the buys back. Everything the rebalance did not fill
 * is left as it is: there is nothing to undo.
 *
 * <p>A sell here only reduces a position the rebalance bought, so it leaves Keel on a REDUCING or HALTED account too
 * (law 9); a buy back adds risk, so a rollback that buys runs only on an ACTIVE account whose broker agrees with the
 * journal ({@link #addsRisk}), like any new entry. Ends COMPLETED when every compensating order filled, PARTIALLY_COMPLETED
 * when some did, FAILED when none did, NEEDS_REVIEW when an order's outcome is unknown.
 */
final class RebalanceRollbackSaga implements OperationSaga {
    static final String LEG_PREFIX = "undo-";
    /** How many of the account's newest transactions are searched for an earlier rollback: 500. */
    static final int SCAN = 500;

    private final OperationSupport support;
    private List<PlannedOrder> plan;

    RebalanceRollbackSaga(OperationSupport support) {
        this.support = support;
    }

    @Override
    public void validate(OperationParams params, AccountSnapshot account) {
        String txId = params.rollbackOf();
        if (txId == null) {
            throw new KeelException(ErrorCode.INVALID_ORDER, "a rebalance rollback names the rebalance it undoes");
        }
        TransactionView rebalance = TransactionView.fold(support.journal().stream(txId));
        if (rebalance.started() == null) {
            throw new KeelException(ErrorCode.UNKNOWN_ID, "no transaction '" + txId + "' in the journal");
        }
        if (!"rebalance".equals(rebalance.started().operation())) {
            throw new KeelException(ErrorCode.REQUEST_REFUSED, txId + " is a " + rebalance.started().operation()
                    + ", not a rebalance; 'keel ops rollback' undoes order operations");
        }
        if (!rebalance.started().accountId().equals(account.accountId())) {
            throw new KeelException(ErrorCode.REQUEST_REFUSED, txId + " is a rebalance of account "
                    + rebalance.started().accountId() + ", not of " + account.accountId());
        }
        TransactionStatus status = rebalance.ended() == null ? null : rebalance.ended().status();
        if (status != TransactionStatus.PARTIAL) {
            throw new KeelException(ErrorCode.REQUEST_REFUSED, txId + " is " + (status == null ? "in progress"
                    : status) + ": only a PARTIAL rebalance is rolled back (a COMPLETED one is undone by the next "
                    + "rebalance toward other targets; one in progress is finished by 'keel recover')");
        }
        // under the account's lease: a second rollback, however it raced the first, finds it here
        for (TransactionSummary s : support.journal().recentTransactions(SCAN, account.accountId())) {
            if (s.startedAt().isBefore(rebalance.started().at())) {
                break;
            }
            if (OperationType.REBALANCE_ROLLBACK.operationName().equals(s.operation())) {
                OperationView earlier = OperationView.fold(support.journal().stream(s.txId()));
                if (earlier.params() != null && txId.equals(earlier.params().rollbackOf())) {
                    throw new KeelException(ErrorCode.REQUEST_REFUSED, txId + " was already rolled back by "
                            + s.txId() + " (" + (s.status() == null ? "in progress" : s.status()) + "); 'keel ops "
                            + "show " + s.txId() + "' says how that went");
                }
            }
        }
        this.plan = compensations(rebalance);
        if (plan.isEmpty()) {
            throw new KeelException(ErrorCode.REQUEST_REFUSED, txId + " filled nothing: there is nothing to undo");
        }
    }

    /** The compensating orders: each filled order reversed for what filled, sells first. */
    static List<PlannedOrder> compensations(TransactionView rebalance) {
        List<PlannedOrder> orders = new ArrayList<>();
        for (OrderTrack t : rebalance.orders()) {
            BigDecimal filled = t.filledQuantity();
            if (filled.signum() <= 0) {
                continue;
            }
            Side back = t.spec().side() == Side.BUY ? Side.SELL : Side.BUY;
            BigDecimal price = t.filledAvgPrice() == null ? BigDecimal.ZERO : t.filledAvgPrice();
            orders.add(new PlannedOrder(LEG_PREFIX + t.leg(), OrderSpec.marketQty(t.spec().symbol(), back, filled),
                    filled.multiply(price).setScale(2, java.math.RoundingMode.HALF_EVEN)));
        }
        orders.sort(Comparator.comparing(o -> o.spec().side() == Side.SELL ? 0 : 1));
        return orders;
    }

    @Override
    public List<PlannedOrder> planned(OperationParams params, AccountSnapshot account) {
        return plan;
    }

    @Override
    public boolean addsRisk() {
        return plan != null && plan.stream().anyMatch(o -> o.spec().side() == Side.BUY);
    }

    @Override
    public OperationOutcome run(TransactionLedger ledger) {
        OperationView view = support.view(ledger);
        if (view.isTerminal()) {
            return OperationOutcome.of(view, ledger.context().accountId());
        }
        List<PlannedOrder> orders = view.transaction().started().targetOrders();
        support.move(ledger, OperationState.IN_PROGRESS, "placing " + orders.size() + " compensating order(s) for "
                + view.params().rollbackOf());
        for (PlannedOrder o : orders) {
            if (o.spec().side() == Side.SELL) {
                support.executor().executeReducing(ledger, o.leg(), o.spec(), o.estimatedNotional());
            } else {
                support.executor().execute(ledger, o.leg(), o.spec(), o.estimatedNotional());
            }
        }
        int filled = 0;
        boolean unknown = false;
        ErrorCode firstError = null;
        List<String> lines = new ArrayList<>();
        for (PlannedOrder o : orders) {
            OrderTrack t = support.view(ledger).order(ClientOrderIds.derive(ledger.context().txId(), o.leg()));
            unknown |= t.state() == OrderState.UNKNOWN;
            if (t.state() == OrderState.FILLED) {
                filled++;
            } else if (firstError == null) {
                firstError = t.lastError() != null ? t.lastError() : ErrorCode.ORDER_NOT_FILLED;
            }
            lines.add(o.spec().side() + " " + t.filledQuantity().stripTrailingZeros().toPlainString() + " of "
                    + o.spec().quantity().stripTrailingZeros().toPlainString() + " " + o.spec().symbol() + " "
                    + t.state());
        }
        String message = "undid " + view.params().rollbackOf() + ": " + filled + " of " + orders.size()
                + " compensating order(s) filled (" + String.join("; ", lines) + ")";
        if (unknown) {
            return support.finish(ledger, OperationState.NEEDS_REVIEW, ErrorCode.ORDER_OUTCOME_UNKNOWN, message, null);
        }
        if (filled == orders.size()) {
            return support.finish(ledger, OperationState.COMPLETED, null, message, null);
        }
        return support.finish(ledger, filled == 0 ? OperationState.FAILED : OperationState.PARTIALLY_COMPLETED,
                firstError, message, null);
    }
}

package dev.keel.core.ops;

import dev.keel.core.account.AccountSession;
import dev.keel.core.account.AccountStatus;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.Severity;
import dev.keel.core.execution.BrokerGateway;
import dev.keel.core.execution.OperationContext;
import dev.keel.core.execution.TransactionLedger;
import dev.keel.core.journal.OperationRequested;
import dev.keel.core.journal.OperationStateChanged;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.core.journal.TransactionStarted;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.OperationParams;
import dev.keel.core.model.OperationState;
import dev.keel.core.model.OperationType;
import dev.keel.core.model.TradingState;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.reconcile.AccountCheck;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * Starts and resumes order operations for one account: pre-flight, the durable request, then the operation's saga.
 * The caller ({@link dev.keel.core.engine.Engine}) holds the account's lease, in the operation's session.
 *
 * <p>Pre-flight reads the account at the broker and validates the request against it before anything is journaled:
 * a request that cannot run is an error for the caller, not an operation. An operation that adds risk (a bracket's
 * entry) is then refused on a frozen account (law 9) and run only when the broker agrees with the journal
 * ({@link AccountCheck}); risk-reducing operations (closes, cancels) run on a frozen account too.
 */
public final class Operations {
    private final OperationSupport support;

    public Operations(OperationSupport support) {
        this.support = Objects.requireNonNull(support, "support");
    }

    public OperationOutcome start(OperationContext ctx, OperationType type, OperationParams params) {
        OperationSaga saga = saga(type);
        BrokerGateway gateway = support.executor().gateway();
        AccountSnapshot snapshot = gateway.read(gateway.broker()::account);
        saga.validate(params, snapshot);
        AccountCheck check = null;
        if (saga.addsRisk()) {
            // the engine's protection watch synced the working orders just before
            LiveOrders.Checked checked = LiveOrders.check(support.journal(), support.executor(), ctx.accountId(),
                    snapshot);
            snapshot = checked.snapshot();
            check = checked.check();
        }
        TransactionLedger ledger = support.session().begin(ctx);
        var now = support.clock().instant();
        ledger.recordAll(List.of(
                new TransactionStarted(ctx.txId(), ctx.accountId(), type.operationName(), ctx.correlationId(),
                        saga.planned(params, snapshot), snapshot, BigDecimal.ZERO, now),
                new OperationRequested(ctx.txId(), ctx.accountId(), type, params, now),
                new OperationStateChanged(ctx.txId(), ctx.accountId(), null, OperationState.PENDING, "requested",
                        now)));
        if (saga.addsRisk()) {
            AccountStatus status = support.status(ctx.accountId());
            if (status.state() != TradingState.ACTIVE) {
                return support.finish(ledger, OperationState.FAILED, status.state() == TradingState.HALTED
                        ? ErrorCode.ACCOUNT_HALTED : ErrorCode.ACCOUNT_REDUCING, "not started, nothing sent: the "
                        + "account is " + status.describe(), null);
            }
            if (!check.agrees()) {
                return support.finish(ledger, OperationState.NEEDS_REVIEW, ErrorCode.RECONCILIATION_MISMATCH,
                        "not started, nothing sent: the broker disagrees with the journal: "
                                + String.join("; ", check.differences()), null);
            }
        }
        return saga.run(ledger);
    }

    /**
     * Journals an operation that could not start: the account's lease was not had, the broker could not be read, or an
     * internal error came before its request was journaled. It is requested and FAILED in one append, nothing sent,
     * with its notification (law 8), so no refusal of real work goes unrecorded; a request that is itself wrong (bad
     * parameters) is the caller's error instead, and {@link #start} throws it.
     */
    public OperationOutcome notStarted(OperationContext ctx, OperationType type, OperationParams params,
                                       ErrorCode code, String message) {
        TransactionLedger ledger = support.session().begin(ctx);
        var now = support.clock().instant();
        String why = "not started, nothing sent: " + message;
        AccountSnapshot none = new AccountSnapshot(ctx.accountId(), BigDecimal.ZERO, BigDecimal.ZERO, List.of(), now);
        support.session().end(ledger, new AccountSession.Ending(List.of(
                new TransactionStarted(ctx.txId(), ctx.accountId(), type.operationName(), ctx.correlationId(),
                        List.of(), none, BigDecimal.ZERO, now),
                new OperationRequested(ctx.txId(), ctx.accountId(), type, params, now),
                new OperationStateChanged(ctx.txId(), ctx.accountId(), null, OperationState.PENDING, "requested", now),
                new OperationStateChanged(ctx.txId(), ctx.accountId(), OperationState.PENDING, OperationState.FAILED,
                        why, now),
                new TransactionEnded(ctx.txId(), ctx.accountId(), TransactionStatus.FAILED, code, why, null, now)),
                new AccountSession.Notice(Severity.MEDIUM, "Order operation " + ctx.txId() + " ("
                        + type.operationName().replace('_', ' ') + ") not started", why + "\nError: " + code + " - "
                        + code.suggestion() + "\nDetails: keel ops show " + ctx.txId()),
                new AccountSession.MoveRule.AfterOutcome(TransactionStatus.FAILED, code, why)));
        return OperationOutcome.of(OperationView.of(ledger.view()), ctx.accountId());
    }

    /** Continues an operation a previous engine left in progress, from where its journal stands. */
    public OperationOutcome resume(TransactionLedger ledger) {
        OperationView view = support.view(ledger);
        if (view.type() == null) {
            return support.finish(ledger, OperationState.NEEDS_REVIEW, ErrorCode.INTERNAL_ERROR,
                    "closed for review: the operation's request was never journaled", null);
        }
        return saga(view.type()).run(ledger);
    }

    /** A new saga per request: a saga may keep what its {@code validate} learned for {@code addsRisk}. */
    private OperationSaga saga(OperationType type) {
        return switch (type) {
            case BRACKET_ORDER -> new BracketSaga(support);
            case OCO_PAIR -> new OcoSaga(support);
            case POSITION_CLOSE -> new PositionCloseSaga(support);
            case BULK_CANCEL -> new BulkCancelSaga(support);
            case ORDER_MODIFICATION -> new ModificationSaga(support);
            case OCO_ENFORCEMENT -> new OcoEnforcementSaga(support);
            case REBALANCE_ROLLBACK -> new RebalanceRollbackSaga(support);
        };
    }
}

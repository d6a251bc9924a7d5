package dev.keel.core.ops;

import dev.keel.core.account.AccountSession;
import dev.keel.core.account.AccountStatus;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.Severity;
import dev.keel.core.execution.CancelResult;
import dev.keel.core.execution.OperationContext;
import dev.keel.core.execution.OrderExecutor;
import dev.keel.core.execution.TransactionLedger;
import dev.keel.core.execution.TransactionView;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.OperationStateChanged;
import dev.keel.core.journal.OrderOutcomeRecorded;
import dev.keel.core.journal.OrderReferenced;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.OperationState;
import dev.keel.core.model.TradingState;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.notify.Outbox;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What every order-operation saga needs: its executor (the account's broker gateway), the journal, the outbox, the
 * clock and the account's trading state, and the steps they share: state moves, order references and results, and
 * the one atomic append that ends an operation with its notification and any freeze (laws 6, 8, 9).
 */
public final class OperationSupport {
    private final AccountSession session;
    private final Journal journal;
    private final OrderExecutor executor;
    private final Clock clock;

    /** @param session the account's session: its lease, its trading state and the single ending of an operation */
    public OperationSupport(AccountSession session, OrderExecutor executor, Clock clock) {
        this.session = Objects.requireNonNull(session, "session");
        this.journal = session.journal();
        this.executor = Objects.requireNonNull(executor, "executor");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public AccountSession session() {
        return session;
    }

    public Journal journal() {
        return journal;
    }

    public Outbox outbox() {
        return session.outbox();
    }

    public OrderExecutor executor() {
        return executor;
    }

    public Clock clock() {
        return clock;
    }

    public AccountStatus status(String accountId) {
        return session.states().status(accountId);
    }

    /** The operation's state as its journal has it now. */
    public OperationView view(TransactionLedger ledger) {
        return OperationView.of(ledger.view());
    }

    /** Journals a move to {@code to} unless the operation is there already. */
    public void move(TransactionLedger ledger, OperationState to, String reason) {
        OperationState from = view(ledger).state();
        if (from == to) {
            return;
        }
        if (from != null) {
            from.moveTo(to);
        }
        OperationContext ctx = ledger.context();
        ledger.record(new OperationStateChanged(ctx.txId(), ctx.accountId(), from, to, reason, clock.instant()));
    }

    /** A ledger over another transaction's stream, to journal what happens to an order that transaction placed. */
    public TransactionLedger ownerLedger(String ownerTxId) {
        TransactionView view = TransactionView.fold(journal.stream(ownerTxId));
        String accountId = view.started() == null ? "unknown" : view.started().accountId();
        String correlation = view.started() == null ? ownerTxId : view.started().correlationId();
        return new TransactionLedger(journal, new OperationContext(ownerTxId, accountId, correlation), view);
    }

    /** Records that the operation acts on an order it did not place. Idempotent per client order id. */
    public void reference(TransactionLedger ledger, BrokerOrder order, String ownerTxId, String role) {
        if (view(ledger).reference(order.clientOrderId()) != null) {
            return;
        }
        OperationContext ctx = ledger.context();
        ledger.record(new OrderReferenced(ctx.txId(), ctx.accountId(), order.clientOrderId(), order.brokerOrderId(),
                ownerTxId, order.spec(), role, clock.instant()));
    }

    /** Records one order's result in the operation's report. */
    public void result(TransactionLedger ledger, CancelResult r) {
        OperationContext ctx = ledger.context();
        ledger.record(new OrderOutcomeRecorded(ctx.txId(), ctx.accountId(), r.clientOrderId(), r.brokerOrderId(),
                r.outcome(), r.filledQuantity(), r.code(), r.message(), clock.instant()));
    }

    /**
     * Ends the operation: the move to {@code terminal} (through IN_PROGRESS or ROLLING_BACK when the table requires),
     * the transaction's terminal state, a notification for anything but COMPLETED (law 8), and the account's trading
     * state move, all in one atomic append. NEEDS_REVIEW halts the account unless {@code freezeTo} names a milder
     * freeze (REDUCING lets an operator still close what is left).
     *
     * @param freezeTo the trading state to move the account to, or null for the engine's usual rules
     */
    public OperationOutcome finish(TransactionLedger ledger, OperationState terminal, ErrorCode code, String message,
                                   TradingState freezeTo) {
        OperationContext ctx = ledger.context();
        OperationView view = view(ledger);
        if (view.isTerminal()) {
            return OperationOutcome.of(view, ctx.accountId());
        }
        OperationState from = view.state();
        List<JournalEvent> events = new ArrayList<>();
        if (from != null && !from.canMoveTo(terminal)) {
            OperationState via = terminal == OperationState.ROLLED_BACK ? OperationState.ROLLING_BACK
                    : OperationState.IN_PROGRESS;
            if (from != via) {
                events.add(new OperationStateChanged(ctx.txId(), ctx.accountId(), from, from.moveTo(via), "to end",
                        clock.instant()));
            }
            from = via;
        }
        if (from != null) {
            from.moveTo(terminal);
        }
        events.add(new OperationStateChanged(ctx.txId(), ctx.accountId(), from, terminal,
                message == null ? "done" : message, clock.instant()));
        TransactionStatus status = terminal.transactionStatus();
        events.add(new TransactionEnded(ctx.txId(), ctx.accountId(), status, terminal == OperationState.COMPLETED
                ? null : code, terminal == OperationState.COMPLETED ? null : message, null, clock.instant()));
        AccountSession.Notice notice = null;
        if (terminal != OperationState.COMPLETED) {
            Severity severity = switch (terminal) {
                case NEEDS_REVIEW -> Severity.CRITICAL;
                case ROLLED_BACK, PARTIALLY_COMPLETED -> Severity.HIGH;
                default -> Severity.MEDIUM;
            };
            String what = view.type() == null ? "operation" : view.type().operationName().replace('_', ' ');
            notice = new AccountSession.Notice(severity, "Order operation " + ctx.txId() + " (" + what + ") "
                    + terminal, (message == null ? "" : message) + (code == null ? "" : "\nError: " + code + " - "
                    + code.suggestion()) + "\nDetails: keel ops show " + ctx.txId());
        }
        AccountSession.MoveRule rule = freezeTo != null
                ? new AccountSession.MoveRule.FreezeTo(freezeTo, "operation " + ctx.txId() + " ended " + terminal
                        + ": " + message, code)
                : new AccountSession.MoveRule.AfterOutcome(status, code, message);
        session.end(ledger, new AccountSession.Ending(events, notice, rule));
        return OperationOutcome.of(view(ledger), ctx.accountId());
    }
}

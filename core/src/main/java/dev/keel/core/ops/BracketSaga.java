package dev.keel.core.ops;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.execution.CancelResult;
import dev.keel.core.execution.ClientOrderIds;
import dev.keel.core.execution.ExecutionSettings;
import dev.keel.core.execution.OrderExecutor;
import dev.keel.core.execution.OrderResult;
import dev.keel.core.execution.OrderTrack;
import dev.keel.core.execution.TransactionLedger;
import dev.keel.core.journal.OrdersLinked;
import dev.keel.core.journal.OperationStateChanged;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.Money;
import dev.keel.core.model.OperationParams;
import dev.keel.core.model.OperationState;
import dev.keel.core.model.OrderOutcome;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.PlannedOrder;
import dev.keel.core.model.Side;
import dev.keel.core.model.TimeInForce;
import dev.keel.core.model.TradingState;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A bracket order: buy the entry, and protect whatever of it filled with a stop-loss and a take-profit, one cancelling
 * the other. Partial fills are protected as they come: when the entry has filled more than the live pair covers, the
 * pair is cancelled and a new one placed for the whole position ({@code protect-1}, {@code protect-2}...), never more
 * than is held. The entry's remainder is cancelled at the fill timeout.
 *
 * <p>If a protective leg cannot be placed (refused, or given up after the executor's retries), the position is not
 * left unprotected: what was placed is cancelled and the position the bracket bought is sold at market (the emergency
 * close), ending ROLLED_BACK; if even the close fails, the operation ends NEEDS_REVIEW and the account only reduces
 * risk until an operator looks. An order whose outcome stays unknown ends it NEEDS_REVIEW (law 3); a protective leg
 * still UNKNOWN when the protection grace runs out (its lookups stop there) is given up like a failed one: the
 * rollback's cancel resolves it by lookup before the position is closed, or the operation ends NEEDS_REVIEW.
 *
 * <p>Every step reads the operation's state from the journal first, so a restarted engine resumes it where it stood.
 */
final class BracketSaga implements OperationSaga {
    static final String ENTRY = "entry";
    static final String EMERGENCY_CLOSE = "emergency-close";

    private final OperationSupport support;
    private final Protection protection;

    BracketSaga(OperationSupport support) {
        this.support = support;
        this.protection = new Protection(support);
    }

    @Override
    public void validate(OperationParams p, AccountSnapshot account) {
        Checks.protectivePair(p);
        if (p.entryLimit() != null) {
            Checks.positive("entryLimit", p.entryLimit());
            if (p.entryLimit().compareTo(p.stopPrice()) <= 0 || p.entryLimit().compareTo(p.targetPrice()) >= 0) {
                throw new KeelException(ErrorCode.INVALID_ORDER, "entryLimit must be above stopPrice "
                        + p.stopPrice().toPlainString() + " and below targetPrice " + p.targetPrice().toPlainString()
                        + ", but was " + p.entryLimit().toPlainString());
            }
        }
    }

    @Override
    public List<PlannedOrder> planned(OperationParams p, AccountSnapshot account) {
        OrderSpec entry = entrySpec(p);
        BigDecimal price = p.entryLimit() != null ? p.entryLimit() : p.targetPrice();
        return Protection.planned(support, p, p.quantity(),
                new PlannedOrder(ENTRY, entry, Money.cash(p.quantity().multiply(price))));
    }

    @Override
    public boolean addsRisk() {
        return true;
    }

    static OrderSpec entrySpec(OperationParams p) {
        TimeInForce tif = p.timeInForce() == null ? TimeInForce.DAY : p.timeInForce();
        return p.entryLimit() == null
                ? new OrderSpec(p.symbol(), Side.BUY, dev.keel.core.model.OrderType.MARKET, Money.qty(p.quantity()),
                null, null, tif, null)
                : OrderSpec.limit(p.symbol(), Side.BUY, p.quantity(), p.entryLimit(), tif);
    }

    @Override
    public OperationOutcome run(TransactionLedger ledger) {
        OperationView view = support.view(ledger);
        if (view.isTerminal()) {
            return OperationOutcome.of(view, ledger.context().accountId());
        }
        if (view.state() == OperationState.ROLLING_BACK) {
            List<OperationStateChanged> moves = view.moves();
            return rollBack(ledger, moves.get(moves.size() - 1).reason());
        }
        if (view.state() == OperationState.PENDING) {
            OrderTrack entry = support.executor().place(ledger, ENTRY, entrySpec(view.params()));
            if (Protection.unresolved(entry)) {
                return review(ledger, entry);
            }
            if (entry.filledQuantity().signum() == 0 && entry.state().isTerminal()) {
                return support.finish(ledger, OperationState.FAILED, entry.lastError() == null
                        ? ErrorCode.ORDER_NOT_FILLED : entry.lastError(), "the entry " + entry.state()
                        + " with nothing filled" + (entry.lastMessage() == null ? "" : ": " + entry.lastMessage())
                        + "; nothing to protect", null);
            }
            support.move(ledger, OperationState.IN_PROGRESS, "entry " + entry.state());
        }
        return watch(ledger);
    }

    /** Protects the entry's fills until the entry ends, then ends the operation. */
    private OperationOutcome watch(TransactionLedger ledger) {
        OrderExecutor executor = support.executor();
        ExecutionSettings settings = executor.settings();
        String entryCid = ClientOrderIds.derive(ledger.context().txId(), ENTRY);
        Duration interval = settings.pollInterval();
        while (true) {
            OrderTrack entry = support.view(ledger).order(entryCid);
            if (entry.state() == OrderState.UNKNOWN) {
                entry = executor.refresh(ledger, entryCid);
                if (Protection.unresolved(entry)) {
                    return review(ledger, entry);
                }
            }
            OrdersLinked pair = Protection.current(support.view(ledger));
            if (pair != null) {
                Instant giveUpAt = giveUpAt(ledger, entryCid);
                protection.ensure(ledger, pair, giveUpAt);
                OperationView view = support.view(ledger);
                for (OrderTrack leg : Protection.legs(view, pair)) {
                    if (Protection.failed(leg)) {
                        return rollBack(ledger, "protective order " + leg.clientOrderId() + " " + leg.state() + " ("
                                + leg.lastError() + "): " + leg.lastMessage());
                    }
                }
                for (OrderTrack leg : Protection.legs(view, pair)) {
                    if (leg.state() == OrderState.UNKNOWN && giveUpAt != null
                            && !support.clock().instant().isBefore(giveUpAt)) {
                        // the lookups stopped at the grace: give up on protection like a leg that failed; the
                        // rollback's cancel asks the broker about the leg (law 3) before the position is closed
                        return rollBack(ledger, "protective order " + leg.clientOrderId() + " UNKNOWN ("
                                + leg.lastError() + "): " + leg.lastMessage() + "; no lookup answered before the"
                                + " protection grace ran out at " + giveUpAt);
                    }
                }
                for (OrderTrack leg : Protection.legs(view, pair)) {
                    if (Protection.unresolved(leg)) {
                        return review(ledger, leg);
                    }
                }
            }
            OperationView view = support.view(ledger);
            BigDecimal position = entry.filledQuantity().subtract(Protection.exitsFilled(view));
            BigDecimal covered = pair == null ? BigDecimal.ZERO : Protection.working(view, pair);
            if (position.compareTo(covered) > 0) {
                if (pair != null) {
                    List<CancelResult> results = protection.cancel(ledger, pair, "resized: the entry filled "
                            + entry.filledQuantity().toPlainString());
                    for (CancelResult r : results) {
                        if (!r.settled()) {
                            return unsettled(ledger, r);
                        }
                    }
                } else {
                    protection.place(ledger, Protection.next(view), view.params(), position,
                            giveUpAt(ledger, entryCid));
                }
                continue; // read again: legs may have filled while they were cancelled or placed
            }
            if (entry.state().isTerminal()) {
                return end(ledger, entry, position);
            }
            Instant deadline = entry.acceptedAt().plus(settings.fillTimeout());
            Instant now = support.clock().instant();
            if (!now.isBefore(deadline)) {
                CancelResult r = executor.cancel(ledger, entryCid, "fill timeout: the entry's remainder");
                support.result(ledger, r);
                if (!r.settled()) {
                    return unsettled(ledger, r);
                }
                continue;
            }
            Duration left = Duration.between(now, deadline);
            executor.sleeper().sleep(interval.compareTo(left) < 0 ? interval : left);
            interval = interval.multipliedBy(2).compareTo(settings.maxPollInterval()) < 0 ? interval.multipliedBy(2)
                    : settings.maxPollInterval();
            executor.refresh(ledger, entryCid);
        }
    }

    /**
     * When protection still failing is given up: the protection grace after Keel last saw the entry fill (the position
     * is uncovered from then until a pair for it works; a resize cancels the old pair after that moment). The
     * bracket then rolls back and closes the position.
     */
    private Instant giveUpAt(TransactionLedger ledger, String entryCid) {
        Instant seen = null;
        BigDecimal filled = BigDecimal.ZERO;
        for (var e : support.view(ledger).transaction().events()) {
            if (e instanceof dev.keel.core.journal.OrderUpdated u && u.clientOrderId().equals(entryCid)
                    && u.filledQuantity().compareTo(filled) > 0) {
                filled = u.filledQuantity();
                seen = u.at();
            }
        }
        return seen == null ? null : seen.plus(support.executor().settings().protectionGrace());
    }

    private OperationOutcome end(TransactionLedger ledger, OrderTrack entry, BigDecimal position) {
        if (entry.filledQuantity().signum() == 0) {
            return support.finish(ledger, OperationState.FAILED, entry.lastError() == null ? ErrorCode.ORDER_NOT_FILLED
                    : entry.lastError(), "the entry " + entry.state() + " with nothing filled; nothing to protect",
                    null);
        }
        String held = position.signum() > 0 ? "; " + position.toPlainString() + " " + entry.spec().symbol()
                + " protected by " + Protection.current(support.view(ledger)).link()
                : "; the position was already sold by its protective orders";
        if (entry.state() == OrderState.FILLED) {
            return support.finish(ledger, OperationState.COMPLETED, null, "entry filled "
                    + entry.filledQuantity().toPlainString() + held, null);
        }
        return support.finish(ledger, OperationState.PARTIALLY_COMPLETED, ErrorCode.ORDER_NOT_FILLED, "the entry filled "
                + entry.filledQuantity().toPlainString() + " of " + entry.spec().quantity().toPlainString()
                + ", the rest " + entry.state() + held, null);
    }

    /**
     * Undoes the bracket: cancels the entry's remainder and every live protective order, then sells at market what the
     * bracket still holds. Resumable: cancels of ended orders and the close by its leg are idempotent.
     */
    private OperationOutcome rollBack(TransactionLedger ledger, String why) {
        support.move(ledger, OperationState.ROLLING_BACK, why);
        OrderExecutor executor = support.executor();
        String entryCid = ClientOrderIds.derive(ledger.context().txId(), ENTRY);
        OrderTrack entry = support.view(ledger).order(entryCid);
        if (!entry.state().isTerminal()) {
            CancelResult r = executor.cancel(ledger, entryCid, "rollback: protection failed");
            support.result(ledger, r);
            if (!r.settled()) {
                return unsettled(ledger, r);
            }
        }
        for (OrdersLinked link : support.view(ledger).liveLinks()) {
            for (CancelResult r : protection.cancel(ledger, link, "rollback: protection failed")) {
                if (!r.settled()) {
                    return unsettled(ledger, r);
                }
            }
        }
        OperationView view = support.view(ledger);
        entry = view.order(entryCid);
        BigDecimal position = entry.filledQuantity().subtract(Protection.exitsFilled(view));
        String closeCid = ClientOrderIds.derive(ledger.context().txId(), EMERGENCY_CLOSE);
        if (position.signum() <= 0 && view.order(closeCid) == null) {
            return support.finish(ledger, OperationState.ROLLED_BACK, ErrorCode.PROTECTION_FAILED, why
                    + "; cancelled what was placed, nothing was held", null);
        }
        OrderTrack started = view.order(closeCid);
        OrderSpec sell = started != null ? started.spec() : OrderSpec.marketQty(entry.spec().symbol(), Side.SELL,
                position);
        OrderResult close = executor.executeReducing(ledger, EMERGENCY_CLOSE, sell, BigDecimal.ZERO);
        boolean closed = close.status() == OrderResult.Status.SUCCESS;
        support.result(ledger, new CancelResult(close.clientOrderId(), close.brokerOrderId(),
                closed ? OrderOutcome.CLOSED : close.status() == OrderResult.Status.UNKNOWN ? OrderOutcome.UNKNOWN
                        : OrderOutcome.FAILED, close.orderState(), close.filledQuantity(), close.errorCode(),
                closed ? "emergency close of the unprotected position" : close.errorMessage(), 0));
        if (closed) {
            return support.finish(ledger, OperationState.ROLLED_BACK, ErrorCode.PROTECTION_FAILED, why
                    + "; the position of " + close.filledQuantity().toPlainString() + " " + entry.spec().symbol()
                    + " was closed at market and what was placed cancelled", null);
        }
        return support.finish(ledger, OperationState.NEEDS_REVIEW, ErrorCode.EMERGENCY_CLOSE_FAILED, why
                + "; the emergency close of " + position.toPlainString() + " " + entry.spec().symbol() + " "
                + close.status() + " (" + close.errorCode() + "): " + close.errorMessage()
                + "; the position is unprotected, close it by hand", TradingState.REDUCING);
    }

    private OperationOutcome review(TransactionLedger ledger, OrderTrack t) {
        return support.finish(ledger, OperationState.NEEDS_REVIEW, ErrorCode.ORDER_OUTCOME_UNKNOWN, "the outcome of "
                + t.clientOrderId() + " is unknown: the broker could not be asked (" + t.lastError() + ")", null);
    }

    /** A cancel Keel could not confirm: an order may still be working, so nothing more is placed. */
    private OperationOutcome unsettled(TransactionLedger ledger, CancelResult r) {
        return support.finish(ledger, OperationState.NEEDS_REVIEW, r.code() == null ? ErrorCode.CANCEL_UNCONFIRMED
                : r.code(), "could not confirm the cancel of " + r.clientOrderId() + ": " + r.message(),
                TradingState.REDUCING);
    }
}

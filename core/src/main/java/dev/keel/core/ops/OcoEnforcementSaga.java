package dev.keel.core.ops;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.error.Severity;
import dev.keel.core.execution.CancelResult;
import dev.keel.core.execution.ClientOrderIds;
import dev.keel.core.execution.OperationContext;
import dev.keel.core.execution.OrderTrack;
import dev.keel.core.execution.TransactionLedger;
import dev.keel.core.journal.DoubleFillDetected;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.OrderOutcomeRecorded;
import dev.keel.core.journal.OrderReferenced;
import dev.keel.core.journal.OrdersUnlinked;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.OperationParams;
import dev.keel.core.model.OperationState;
import dev.keel.core.model.OrderOutcome;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.PlannedOrder;
import dev.keel.core.model.Side;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * OCO_ENFORCEMENT: Keel's follow-up on one protective link that outlived the operation that placed it, started by the
 * {@link ProtectionWatch}. Its request names the link ({@link OperationParams#enforce}); every step decides again
 * from the journal ({@link LinkRules#judge}) and the account as its start recorded it, so a resumed run does only
 * what is left:
 * <ol>
 *   <li>the legs are looked up, and referenced ({@link OrderReferenced}, roles {@code take-profit}, {@code stop-loss});
 *   </li>
 *   <li>a flatten order whose {@link DoubleFillDetected} is journaled is placed (or resumed) first: its client order
 *       id is fixed before it is sent, so a crash never leads to a second one;</li>
 *   <li>legs to cancel (an emulated pair's twin, protection whose position is gone, what still works of a double
 *       fill) are cancelled in their owner's stream ({@code OrderExecutor.cancel}, law 3), each result recorded;</li>
 *   <li>both legs filled beyond the pair: {@link DoubleFillDetected} with a HIGH notification
 *       ({@link ErrorCode#OCO_DOUBLE_FILL}) in one append, then a market BUY of the excess, leg
 *       {@code flatten-<n>};</li>
 *   <li>both legs ended: {@link OrdersUnlinked} in the owner's stream.</li>
 * </ol>
 * Ends COMPLETED when the link is enforced; PARTIALLY_COMPLETED when a cancel failed (the link stays live and the
 * next watch tries again); NEEDS_REVIEW when a cancel's outcome is unknown or a flatten did not fill (the account is
 * left short: CRITICAL, and the account is halted).
 */
final class OcoEnforcementSaga implements OperationSaga {
    private static final int MAX_STEPS = 6;

    private final OperationSupport support;

    OcoEnforcementSaga(OperationSupport support) {
        this.support = Objects.requireNonNull(support, "support");
    }

    @Override
    public void validate(OperationParams params, AccountSnapshot account) {
        if (params.rollbackOf() == null || params.clientOrderId() == null) {
            throw new KeelException(ErrorCode.CONFIG_INVALID, "an OCO enforcement needs the link's owner transaction "
                    + "(rollbackOf) and its take-profit leg (clientOrderId), but was rollbackOf=" + params.rollbackOf()
                    + ", clientOrderId=" + params.clientOrderId());
        }
    }

    @Override
    public List<PlannedOrder> planned(OperationParams params, AccountSnapshot account) {
        return List.of(); // a flatten order is known only once a double fill is seen
    }

    @Override
    public boolean addsRisk() {
        return false;
    }

    @Override
    public OperationOutcome run(TransactionLedger ledger) {
        OperationContext ctx = ledger.context();
        OperationView view = support.view(ledger);
        if (view.isTerminal()) {
            return OperationOutcome.of(view, ctx.accountId());
        }
        OperationParams params = view.params();
        String ownerTx = params.rollbackOf();
        String leg = params.clientOrderId();
        support.move(ledger, OperationState.IN_PROGRESS, "enforcing the link of " + leg);
        LiveOrders scan = LiveOrders.scan(support.journal(), ctx.accountId(), LiveOrders.DEFAULT_SCAN);
        TransactionLedger owner = scan.transaction(ownerTx) != null ? scan.transaction(ownerTx)
                : support.ownerLedger(ownerTx);
        LinkRules.LinkState link = LinkRules.linkOf(owner, leg);
        if (link == null || !link.complete()) {
            return support.finish(ledger, OperationState.NEEDS_REVIEW, ErrorCode.INTERNAL_ERROR, "transaction "
                    + ownerTx + " has no protective link with leg " + leg + " whose two orders it journaled", null);
        }
        for (OrderTrack t : link.legs()) {
            if (!t.state().isTerminal()) {
                support.executor().refresh(owner, t.clientOrderId());
            }
        }
        reference(ledger, ownerTx, link.tp(), "take-profit");
        reference(ledger, ownerTx, link.sl(), "stop-loss");
        AccountSnapshot account = view.transaction().started().before();
        String name = link.link().link();
        List<String> done = new ArrayList<>();
        for (int step = 0; step < MAX_STEPS; step++) {
            OperationOutcome flattenFailed = flattenPending(ledger, ownerTx, name);
            if (flattenFailed != null) {
                return flattenFailed;
            }
            link = LinkRules.linkOf(owner, leg);
            if (OperationView.of(owner.view()).isUnlinked(name)) {
                break;
            }
            List<LinkRules.LinkState> all = linksInOrder(scan, link);
            BigDecimal covered = LinkRules.covered(scan, link, ctx.txId()).add(LinkRules.covered(support.view(
                    ledger)));
            LinkRules.Verdict v = LinkRules.judge(link, all, account, covered);
            switch (v.kind()) {
                case NONE -> {
                    return support.finish(ledger, OperationState.COMPLETED, null, summary(done, "the pair works on: "
                            + link.describe()), null);
                }
                case UNLINK -> {
                    unlink(owner, ledger, link, v.reason(), account);
                    done.add("unlinked " + name);
                }
                case DOUBLE_FILL -> {
                    OperationOutcome stuck = cancel(ledger, owner, v.cancel(), v.reason(), done);
                    if (stuck != null) {
                        return stuck;
                    }
                    detect(ledger, LinkRules.linkOf(owner, leg), covered);
                    done.add("flattened a double fill");
                }
                case TWIN_FILLED, UNPROTECT -> {
                    OperationOutcome stuck = cancel(ledger, owner, v.cancel(), v.reason(), done);
                    if (stuck != null) {
                        return stuck;
                    }
                }
            }
        }
        return support.finish(ledger, OperationState.COMPLETED, null, summary(done, "link " + name + " of "
                + ownerTx + " enforced"), null);
    }

    /**
     * Places (or resumes) the flatten order of the last double fill journaled, if it is not done. Returns the ended
     * operation when it did not fill, null otherwise.
     */
    private OperationOutcome flattenPending(TransactionLedger ledger, String ownerTx, String name) {
        OperationView view = support.view(ledger);
        if (view.doubleFills().isEmpty()) {
            return null;
        }
        DoubleFillDetected d = view.doubleFills().get(view.doubleFills().size() - 1);
        OrderTrack t = view.order(d.flattenOrderId());
        if (t == null || !t.state().isTerminal()) {
            String flattenLeg = flattenLeg(view.doubleFills().size());
            if (!ClientOrderIds.derive(ledger.context().txId(), flattenLeg).equals(d.flattenOrderId())) {
                throw new IllegalStateException("double fill " + view.doubleFills().size() + " of "
                        + ledger.context().txId() + " names flatten order " + d.flattenOrderId() + ", not leg "
                        + flattenLeg);
            }
            support.executor().executeReducing(ledger, flattenLeg, OrderSpec.marketQty(d.symbol(), Side.BUY, d.excess()),
                    BigDecimal.ZERO);
            t = support.view(ledger).order(d.flattenOrderId());
        }
        boolean filled = t.state() == OrderState.FILLED;
        if (support.view(ledger).outcome(t.clientOrderId()) == null) {
            OperationContext ctx = ledger.context();
            ledger.record(new OrderOutcomeRecorded(ctx.txId(), ctx.accountId(), t.clientOrderId(), t.brokerOrderId(),
                    filled ? OrderOutcome.CLOSED : t.state() == OrderState.UNKNOWN ? OrderOutcome.UNKNOWN
                            : OrderOutcome.FAILED, t.filledQuantity(), filled ? null : t.lastError(),
                    filled ? "bought back " + LinkRules.plain(t.filledQuantity()) + " " + d.symbol()
                            : t.lastMessage(), support.clock().instant()));
        }
        if (filled) {
            return null;
        }
        BigDecimal shortBy = d.excess().subtract(t.filledQuantity());
        return support.finish(ledger, OperationState.NEEDS_REVIEW, ErrorCode.OCO_DOUBLE_FILL, "both legs of " + name
                + " of " + ownerTx + " filled; the flatten order " + t.clientOrderId() + " ended " + t.state()
                + " with " + LinkRules.plain(t.filledQuantity()) + " of " + LinkRules.plain(d.excess())
                + " bought: the account is short " + LinkRules.plain(shortBy) + " " + d.symbol()
                + " beyond what Keel meant to sell", null);
    }

    /**
     * Every live link of the account, oldest first as the watch saw them, with {@code link} as it stands now in its
     * place (or last, when its owner is older than the scan): the order decides which of several pairs protecting
     * more than is held is cut first ({@link LinkRules#judge}), so it must be the watch's order, or the saga judges
     * another pair to be the one to cut and does nothing.
     */
    private static List<LinkRules.LinkState> linksInOrder(LiveOrders scan, LinkRules.LinkState link) {
        List<LinkRules.LinkState> all = new ArrayList<>();
        boolean placed = false;
        for (LinkRules.LinkState l : LinkRules.liveLinks(scan)) {
            if (l.same(link)) {
                placed = true;
                all.add(link);
            } else {
                all.add(l);
            }
        }
        if (!placed) {
            all.add(link);
        }
        return all;
    }

    /** Journals a double fill with its report, in one append; the flatten is placed at the next step. */
    private void detect(TransactionLedger ledger, LinkRules.LinkState link, BigDecimal covered) {
        OperationContext ctx = ledger.context();
        BigDecimal excess = link.filled().subtract(link.quantity()).subtract(covered);
        if (excess.compareTo(LinkRules.TOLERANCE) <= 0) {
            return; // the cancels settled it, or a flatten already answers it
        }
        if (support.executor().settings().hooks().doubleFillNotFlattened()) {
            return;
        }
        String flattenId = ClientOrderIds.derive(ctx.txId(), flattenLeg(support.view(ledger).doubleFills().size() + 1));
        String name = link.link().link();
        List<JournalEvent> events = List.of(
                new DoubleFillDetected(ctx.txId(), ctx.accountId(), name, link.symbol(), excess, flattenId,
                        support.clock().instant()),
                support.outbox().prepare(ctx.accountId(), ctx.txId(), Severity.HIGH, "Both legs of OCO pair " + name
                        + " filled (" + link.symbol() + ")", "Transaction " + link.ownerTxId() + ": "
                        + link.describe() + ". " + LinkRules.plain(excess) + " " + link.symbol() + " sold beyond the "
                        + LinkRules.plain(link.quantity()) + "-share position the pair protected; Keel buys them back "
                        + "with order " + flattenId + ".\nError: " + ErrorCode.OCO_DOUBLE_FILL + " - "
                        + ErrorCode.OCO_DOUBLE_FILL.suggestion() + "\nDetails: keel ops show " + ctx.txId()));
        ledger.recordAll(events);
    }

    /**
     * Cancels {@code cids} in their owner's stream, each result recorded; returns the ended operation when one could
     * not be cancelled, null when all are settled.
     */
    private OperationOutcome cancel(TransactionLedger ledger, TransactionLedger owner, List<String> cids,
                                    String reason, List<String> done) {
        for (String cid : cids) {
            CancelResult r = support.executor().cancel(owner, cid, reason);
            support.result(ledger, r);
            if (r.outcome() == OrderOutcome.CANCELLED) {
                done.add("cancelled " + cid);
            }
            if (!r.settled()) {
                boolean unknown = r.outcome() == OrderOutcome.UNKNOWN;
                ErrorCode code = r.code() != null ? r.code() : ErrorCode.CANCEL_UNCONFIRMED;
                return support.finish(ledger, unknown ? OperationState.NEEDS_REVIEW
                        : OperationState.PARTIALLY_COMPLETED, unknown ? ErrorCode.CANCEL_UNCONFIRMED : code,
                        "could not cancel " + cid + " (" + reason + "): " + r.message() + "; the link stays live and "
                                + "the next protection watch tries again", null);
            }
        }
        return null;
    }

    /** Ends the link in its owner's stream; a position left without protection is notified with it. */
    private void unlink(TransactionLedger owner, TransactionLedger ledger, LinkRules.LinkState link, String reason,
                        AccountSnapshot account) {
        OperationContext ctx = ledger.context();
        String name = link.link().link();
        List<JournalEvent> events = new ArrayList<>();
        events.add(new OrdersUnlinked(link.ownerTxId(), ctx.accountId(), name, reason + " (enforced by " + ctx.txId()
                + ")", support.clock().instant()));
        boolean cancelledProtection = support.view(ledger).outcomes().stream()
                .anyMatch(o -> o.outcome() == OrderOutcome.CANCELLED);
        BigDecimal held = account.quantity(link.symbol());
        boolean noFill = !link.anyFilled();
        if (cancelledProtection && noFill && held.signum() > 0) {
            events.add(support.outbox().prepare(ctx.accountId(), ctx.txId(), Severity.MEDIUM, "Position "
                    + link.symbol() + " is no longer protected", "Keel cancelled OCO pair " + name + " of "
                    + link.ownerTxId() + " (" + LinkRules.plain(link.quantity()) + " shares) because the position "
                    + "(" + LinkRules.plain(held) + " held) is smaller than its protection; Keel does not resize "
                    + "protection: place a new OCO pair for what is held.\nDetails: keel ops show " + ctx.txId()));
        }
        owner.recordAll(events);
    }

    private void reference(TransactionLedger ledger, String ownerTx, OrderTrack t, String role) {
        if (support.view(ledger).reference(t.clientOrderId()) != null) {
            return;
        }
        OperationContext ctx = ledger.context();
        ledger.record(new OrderReferenced(ctx.txId(), ctx.accountId(), t.clientOrderId(), t.brokerOrderId(), ownerTx,
                t.spec(), role, support.clock().instant()));
    }

    /** The leg of the n-th flatten order of the operation (1 for the first). */
    static String flattenLeg(int n) {
        return "flatten-" + n;
    }

    private static String summary(List<String> done, String last) {
        List<String> parts = new ArrayList<>(done);
        parts.add(last);
        return String.join("; ", parts);
    }
}

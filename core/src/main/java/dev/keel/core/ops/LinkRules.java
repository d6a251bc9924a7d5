package dev.keel.core.ops;

import dev.keel.core.execution.OrderTrack;
import dev.keel.core.execution.TransactionLedger;
import dev.keel.core.journal.DoubleFillDetected;
import dev.keel.core.journal.OrdersLinked;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.OperationType;
import dev.keel.core.model.Symbol;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules of a live protective link, shared by the {@link ProtectionWatch} (which decides whether to act) and the
 * {@link OcoEnforcementSaga} (which decides again from the journal at every step, so a resumed one does not repeat
 * what is done): a pair never sells more than it protects; an emulated pair's twin is cancelled when a leg fills; a
 * link whose legs both ended is unlinked; protection larger than the position is cancelled.
 */
final class LinkRules {
    private static final Logger LOG = LoggerFactory.getLogger(LinkRules.class);
    /** Quantities closer than this are equal: fractional shares carry 9 decimals. */
    static final BigDecimal TOLERANCE = new BigDecimal("0.000001");

    private LinkRules() {
    }

    /** What a link calls for. */
    enum Kind {
        /** Nothing: the pair is working as it should. */
        NONE,
        /** Both legs ended and nothing is owed: journal the link's end. */
        UNLINK,
        /** Both legs filled beyond the pair's quantity: cancel what still works, flatten the excess, report. */
        DOUBLE_FILL,
        /** An emulated pair's leg filled: cancel its twin. */
        TWIN_FILLED,
        /** The position is gone or smaller than the protection: cancel this link's legs. */
        UNPROTECT
    }

    /**
     * @param excess the shares sold beyond the pair's quantity and not yet covered by a flatten order (DOUBLE_FILL)
     * @param cancel the legs to cancel (client order ids)
     */
    record Verdict(Kind kind, String reason, BigDecimal excess, List<String> cancel) {
        static Verdict none(String reason) {
            return new Verdict(Kind.NONE, reason, BigDecimal.ZERO, List.of());
        }
    }

    /** One live link and its legs as the journal has them now. */
    record LinkState(TransactionLedger owner, OrdersLinked link, OrderTrack tp, OrderTrack sl) {
        String ownerTxId() {
            return owner.context().txId();
        }

        /** The link's identity across reads: its owner and its name. */
        boolean same(LinkState other) {
            return other != null && ownerTxId().equals(other.ownerTxId()) && link.link().equals(other.link().link());
        }

        /** Both legs are in the owner's journal (they are, when the owner recorded the intents first). */
        boolean complete() {
            return tp != null && sl != null;
        }

        Symbol symbol() {
            return tp.spec().symbol();
        }

        /** The shares the pair protects: at most this many may be sold by it. */
        BigDecimal quantity() {
            return tp.spec().quantity().max(sl.spec().quantity());
        }

        BigDecimal filled() {
            return tp.filledQuantity().add(sl.filledQuantity());
        }

        List<OrderTrack> legs() {
            return List.of(tp, sl);
        }

        boolean bothTerminal() {
            return tp.state().isTerminal() && sl.state().isTerminal();
        }

        boolean anyFilled() {
            return tp.filledQuantity().signum() > 0 || sl.filledQuantity().signum() > 0;
        }

        /**
         * The shares the link may still sell: the larger remainder of its working legs, counting only the legs that
         * filled once one has (the other is a twin to cancel).
         */
        BigDecimal protecting() {
            BigDecimal most = BigDecimal.ZERO;
            for (OrderTrack t : legs()) {
                boolean counts = !anyFilled() || t.filledQuantity().signum() > 0;
                if (t.state().isLive() && counts) {
                    most = most.max(t.spec().quantity().subtract(t.filledQuantity()));
                }
            }
            return most;
        }

        List<String> nonTerminal() {
            return legs().stream().filter(t -> !t.state().isTerminal()).map(OrderTrack::clientOrderId).toList();
        }

        String describe() {
            return "take-profit " + tp.state() + " " + plain(tp.filledQuantity()) + "/" + plain(tp.spec().quantity())
                    + ", stop-loss " + sl.state() + " " + plain(sl.filledQuantity()) + "/"
                    + plain(sl.spec().quantity());
        }
    }

    /**
     * The live links of the account's ended bracket, OCO and modification transactions (a modification of a pair's
     * leg places a new pair) among {@code scan}, oldest first. A transaction still in progress looks after its own
     * links (its saga, or recovery, resumes it).
     */
    static List<LinkState> liveLinks(LiveOrders scan) {
        List<LinkState> links = new ArrayList<>();
        for (TransactionLedger l : scan.transactions()) {
            if (!isProtecting(l) || !l.view().isTerminal()) {
                continue;
            }
            OperationView op;
            try {
                op = OperationView.of(l.view());
            } catch (IllegalStateException e) {
                LOG.warn("links of {} not watched: its journal breaks the link rules: {}", l.context().txId(),
                        e.getMessage());
                continue;
            }
            for (OrdersLinked link : op.liveLinks()) {
                links.add(new LinkState(l, link, op.order(link.takeProfitOrderId()),
                        op.order(link.stopLossOrderId())));
            }
        }
        return links;
    }

    /** The link {@code leg} is (or was last) a leg of in the owner's journal, as it stands now; null if none. */
    static LinkState linkOf(TransactionLedger owner, String leg) {
        OperationView op = OperationView.of(owner.view());
        OrdersLinked found = null;
        for (OrdersLinked link : op.links()) {
            if (link.takeProfitOrderId().equals(leg) || link.stopLossOrderId().equals(leg)) {
                found = link;
            }
        }
        return found == null ? null : new LinkState(owner, found, op.order(found.takeProfitOrderId()),
                op.order(found.stopLossOrderId()));
    }

    private static boolean isProtecting(TransactionLedger l) {
        String operation = l.view().started() == null ? null : l.view().started().operation();
        return OperationType.BRACKET_ORDER.operationName().equals(operation)
                || OperationType.OCO_PAIR.operationName().equals(operation)
                || OperationType.ORDER_MODIFICATION.operationName().equals(operation);
    }

    /**
     * Shares of a double fill of {@code link} already answered by a flatten order of an enforcement operation among
     * {@code scan} (but {@code exceptTxId}, which the caller counts from its own view): what each flatten filled
     * once it ended, its whole excess while it may still fill or was not sent yet (so a second flatten is never sent
     * for the same shares).
     */
    static BigDecimal covered(LiveOrders scan, LinkState link, String exceptTxId) {
        BigDecimal covered = BigDecimal.ZERO;
        for (TransactionLedger l : scan.transactions()) {
            String operation = l.view().started() == null ? null : l.view().started().operation();
            if (!OperationType.OCO_ENFORCEMENT.operationName().equals(operation)
                    || l.context().txId().equals(exceptTxId)) {
                continue;
            }
            OperationView op = OperationView.of(l.view());
            if (op.params() != null && link.ownerTxId().equals(op.params().rollbackOf())
                    && link.link().takeProfitOrderId().equals(op.params().clientOrderId())) {
                covered = covered.add(covered(op));
            }
        }
        return covered;
    }

    /** The shares of double fills one enforcement operation answered with flatten orders. */
    static BigDecimal covered(OperationView op) {
        BigDecimal covered = BigDecimal.ZERO;
        for (DoubleFillDetected d : op.doubleFills()) {
            OrderTrack flatten = op.order(d.flattenOrderId());
            covered = covered.add(flatten != null && flatten.state().isTerminal() ? flatten.filledQuantity()
                    : d.excess());
        }
        return covered;
    }

    /**
     * What {@code link} calls for, given every live link of the account ({@code all}, oldest first), the account
     * as the broker reported it, and the shares of a double fill already covered by flatten orders.
     */
    static Verdict judge(LinkState link, List<LinkState> all, AccountSnapshot account, BigDecimal covered) {
        BigDecimal excess = link.filled().subtract(link.quantity()).subtract(covered);
        if (excess.compareTo(TOLERANCE) > 0) {
            return new Verdict(Kind.DOUBLE_FILL, "both legs filled: " + plain(link.filled()) + " shares sold by a "
                    + plain(link.quantity()) + "-share pair (" + link.describe() + ")", excess, link.nonTerminal());
        }
        if (link.bothTerminal()) {
            return new Verdict(Kind.UNLINK, "both legs ended: " + link.describe(), BigDecimal.ZERO, List.of());
        }
        if (!link.link().heldByBroker() && link.anyFilled()) {
            // keep the leg that filled (the take-profit when both did in part); cancel the other while it works
            OrderTrack keeper = link.tp().filledQuantity().signum() > 0 ? link.tp() : link.sl();
            List<String> cancel = link.nonTerminal().stream().filter(c -> !c.equals(keeper.clientOrderId())).toList();
            if (!cancel.isEmpty()) {
                return new Verdict(Kind.TWIN_FILLED, (keeper == link.tp() ? "take-profit" : "stop-loss")
                        + " filled " + plain(keeper.filledQuantity()) + ": its twin is cancelled (" + link.describe()
                        + ")", BigDecimal.ZERO, cancel);
            }
        }
        if (link.nonTerminal().isEmpty()) {
            return Verdict.none("both legs ended");
        }
        BigDecimal position = account.quantity(link.symbol());
        if (position.signum() <= 0) {
            return new Verdict(Kind.UNPROTECT, "the position in " + link.symbol() + " is gone (" + plain(position)
                    + " held): its protection is cancelled", BigDecimal.ZERO, link.nonTerminal());
        }
        BigDecimal protecting = BigDecimal.ZERO;
        for (LinkState l : all) {
            if (l.complete() && l.symbol().equals(link.symbol())) {
                protecting = protecting.add(l.protecting());
            }
        }
        if (position.add(TOLERANCE).compareTo(protecting) < 0 && link.same(firstToCancel(all, link.symbol()))) {
            return new Verdict(Kind.UNPROTECT, "the position in " + link.symbol() + " (" + plain(position)
                    + " held) is smaller than its protection (" + plain(protecting) + "): this pair is cancelled; "
                    + "Keel does not resize protection", BigDecimal.ZERO, link.nonTerminal());
        }
        return Verdict.none("working: " + link.describe());
    }

    /** Over-protection is cut one link at a time: pairs nothing filled of first, oldest first. */
    private static LinkState firstToCancel(List<LinkState> all, Symbol symbol) {
        LinkState partlyFilled = null;
        for (LinkState l : all) {
            if (!l.complete() || !l.symbol().equals(symbol) || l.nonTerminal().isEmpty()) {
                continue;
            }
            if (!l.anyFilled()) {
                return l;
            }
            if (partlyFilled == null) {
                partlyFilled = l;
            }
        }
        return partlyFilled;
    }

    static String plain(BigDecimal q) {
        return q.stripTrailingZeros().toPlainString();
    }
}

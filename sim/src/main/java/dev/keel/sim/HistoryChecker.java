package dev.keel.sim;

import dev.keel.core.execution.ClientOrderIds;
import dev.keel.core.execution.TransactionView;
import dev.keel.core.journal.BuysSized;
import dev.keel.core.journal.DoubleFillDetected;
import dev.keel.core.journal.OperationRequested;
import dev.keel.core.journal.OperationStateChanged;
import dev.keel.core.journal.OrdersLinked;
import dev.keel.core.journal.OrdersWorking;
import dev.keel.core.journal.TransactionStarted;
import dev.keel.core.journal.TransactionResumed;
import dev.keel.core.model.OperationParams;
import dev.keel.core.model.OperationState;
import dev.keel.core.model.OperationType;
import dev.keel.core.model.OrderState;
import java.time.Instant;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.MemoryJournal;
import dev.keel.core.journal.Tallies;
import dev.keel.core.metrics.Health;
import dev.keel.core.metrics.KeelMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.ZoneOffset;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.LastRebalanceMoved;
import dev.keel.core.journal.NotificationQueued;
import dev.keel.core.journal.OrderAttemptFailed;
import dev.keel.core.journal.OrderEvent;
import dev.keel.core.journal.OrderIntentRecorded;
import dev.keel.core.journal.OrderLookedUp;
import dev.keel.core.journal.OrderUpdated;
import dev.keel.core.journal.PlanInputsRecorded;
import dev.keel.core.journal.TradingStateChanged;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.core.journal.TransactionEvent;
import dev.keel.core.broker.Delivery;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.marketdata.BrokerQuoteSource;
import dev.keel.core.marketdata.MarketDataPolicy;
import dev.keel.core.marketdata.Trust;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.Position;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import dev.keel.core.model.TradingState;
import dev.keel.core.model.TransactionStatus;
import dev.keel.paper.ExchangeOrderLogEntry;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks a {@link History} against the laws. It reads the journal, the exchanges' own order logs and the wire log,
 * each a separate witness, so a bug that lies in the journal is still caught by what the exchange saw.
 */
final class HistoryChecker {
    private static final BigDecimal QUANTITY_TOLERANCE = new BigDecimal("0.000001");
    private static final BigDecimal CASH_TOLERANCE = new BigDecimal("1.00");
    /** A quote's mid is the exchange's mid to within rounding of its bid and ask to 4 decimals. */
    private static final BigDecimal PRICE_TOLERANCE = new BigDecimal("0.0002");
    /** "No order is sized on data Keel does not trust": numbered after the architecture's eleven laws. */
    static final int UNTRUSTED_DATA_LAW = 12;
    /** "No position is unprotected beyond the grace": a bracket's filled entry is covered by its protective pair. */
    static final int PROTECTION_RULE = 13;
    /** "No protective order outlives its position": after the final watch, working protection never exceeds holdings. */
    static final int OUTLIVED_PROTECTION_RULE = 14;
    /** "No double fill unflattened": both legs of a pair filled beyond it, then detected, flattened and reported. */
    static final int DOUBLE_FILL_RULE = 15;
    /** "Operations end once, by the table, and a modification never works beyond its intended quantity". */
    static final int OPERATION_RULE = 16;
    /**
     * "The engine answers its callers": no exception but a refusal before anything is journaled reaches a caller, no
     * scenario throws, no scheduler hangs. Judged by the run itself ({@link History#findings}) and by the runner.
     */
    static final int CALLER_RULE = 17;
    /**
     * "The index of working orders never hides what may be at the broker": every note of what a transaction leaves
     * working ({@link OrdersWorking}) says what the fold of its records before it has working.
     */
    static final int WORKING_INDEX_RULE = 18;
    /**
     * "The health report says what the records say": its meters, from the journal's tallies and the transactions they
     * mark for reading, are those of feeding every record of its window to the meters (issue 15).
     */
    static final int HEALTH_REPORT_RULE = 19;
    /**
     * How long a bracket's filled entry may stand at the exchange, from when the engine saw the fill, before protective
     * orders cover it or the bracket is rolling back to close it: the engine's configured protection grace.
     */
    static final Duration PROTECTION_GRACE = Simulation.SETTINGS.protectionGrace();
    private static final String CLOSE_LEG = "close";
    private static final String ENTRY_LEG = "entry";
    private static final String EMERGENCY_CLOSE_LEG = "emergency-close";
    private static final String MODIFICATION_LEG = "replace";

    private final History h;
    private final long seed;
    private final List<Violation> violations = new ArrayList<>();
    private final Map<String, List<TransactionEvent>> byTx = new LinkedHashMap<>();
    private final Map<String, List<TransactionEvent>> byOrder = new LinkedHashMap<>();
    private final Map<String, OrderIntentRecorded> intents = new HashMap<>();
    /** Transactions that are order operations (bracket, OCO, close, cancel, modification, enforcement), by type. */
    private final Map<String, OperationType> operations = new HashMap<>();
    /** Quote answers on the wire by "account symbol", built when first needed. */
    private Map<String, List<WireCall>> quoteAnswers;
    /** The exchanges' orders by client order id, built when first needed. */
    private Map<String, ExchangeOrderLogEntry> exchangeOrders;

    private HistoryChecker(History h) {
        this.h = h;
        this.seed = h.scenario().seed();
        for (JournalRecord r : h.journal()) {
            if (r.event() instanceof TransactionEvent e) {
                byTx.computeIfAbsent(e.txId(), k -> new ArrayList<>()).add(e);
                String cid = e instanceof OrderEvent o ? o.clientOrderId() : null;
                if (cid != null) {
                    byOrder.computeIfAbsent(cid, k -> new ArrayList<>()).add(e);
                }
                if (e instanceof OrderIntentRecorded i) {
                    intents.put(i.clientOrderId(), i);
                }
                if (e instanceof TransactionStarted t) {
                    OperationType.ofOperation(t.operation()).ifPresent(type -> operations.put(t.txId(), type));
                }
            }
        }
    }

    static List<Violation> check(History h) {
        try {
            return checkLaws(h);
        } catch (RuntimeException e) {
            // A history so broken the checker cannot read it is itself a finding, never a crash of the run.
            return List.of(new Violation(h.scenario().seed(), 0, null, null, "the checker could not read the history: "
                    + e, List.of()));
        }
    }

    private static List<Violation> checkLaws(History h) {
        if (!h.ranToEnd()) {
            return h.findings(); // cut short: what the run saw break is all there is to judge
        }
        HistoryChecker c = new HistoryChecker(h);
        c.everyExchangeOrderIsAJournaledIntentOnce();
        c.clientOrderIdsComeFromOperationAndLeg();
        c.unknownIsResolvedByLookupBeforeAnyResubmit();
        c.notFoundIsAnAnswerAfterGrace();
        c.sellsBeforeBuysAndNoNegativeCash();
        c.everyTransactionEndsOnce();
        c.lastRebalanceMovesOnlyOnCompleted();
        c.everyOutcomeShortOfCompletedIsNotified();
        c.frozenAccountSendsNothingButCancelsAndCloses();
        c.journalAgreesWithExchangeOrReview();
        c.noOrderSizedOnUntrustedData();
        c.filledBracketEntriesAreProtectedWithinGrace();
        c.noProtectiveOrderOutlivesItsPosition();
        c.theIndexOfWorkingOrdersSaysWhatTheFoldHas();
        c.theHealthReportSaysWhatTheRecordsSay();
        c.noDoubleFillUnflattened();
        c.operationsEndByTheTableAndModificationsStayWithinIntent();
        c.tradingStateMovesFromWhereItIsAndOperatorHaltsHold();
        c.violations.addAll(EscalationCheck.check(h)); // law 8 for alerts: every tier reached, once, with its page
        c.violations.addAll(h.findings());
        return List.copyOf(c.violations);
    }

    /** Laws 1 and 2: no exchange order unknown to the journal; no intent with two orders at the exchange. */
    private void everyExchangeOrderIsAJournaledIntentOnce() {
        h.orders().forEach((account, orders) -> {
            Map<String, Integer> perIntent = new HashMap<>();
            for (ExchangeOrderLogEntry o : orders) {
                OrderIntentRecorded intent = intents.get(o.clientOrderId());
                if (intent == null || !intent.accountId().equals(account)) {
                    violation(1, account, o.clientOrderId(), "the exchange holds order " + o.brokerOrderId() + " ("
                            + o.spec().describe() + ") whose client order id the journal has no intent for",
                            wireOf(o.clientOrderId()));
                }
                if (perIntent.merge(o.clientOrderId(), 1, Integer::sum) == 2) {
                    violation(2, account, o.clientOrderId(), "two exchange orders for one intent",
                            wireOf(o.clientOrderId()));
                }
            }
        });
    }

    /** Law 2: a client order id is derived from (operation, leg) and nothing else. */
    private void clientOrderIdsComeFromOperationAndLeg() {
        for (OrderIntentRecorded i : intents.values()) {
            if (!i.clientOrderId().equals(ClientOrderIds.derive(i.txId(), i.leg()))) {
                violation(2, i.accountId(), i.txId(), "intent " + i.leg() + " has client order id "
                        + i.clientOrderId() + ", not the one derived from its operation and leg", List.of());
            }
        }
    }

    /**
     * Law 3: once a submit's outcome is journaled ambiguous, the next thing that may happen to the order is a
     * lookup; a submit (a further attempt, or an answer from the broker not preceded by a FOUND lookup) before a
     * "not found after grace" is a blind resubmit.
     */
    private void unknownIsResolvedByLookupBeforeAnyResubmit() {
        byOrder.forEach((cid, events) -> {
            boolean unknown = false;
            boolean adopting = false;
            for (TransactionEvent e : events) {
                switch (e) {
                    case OrderAttemptFailed f -> {
                        if (unknown) {
                            violation(3, f.accountId(), cid, "attempt " + f.attempt()
                                    + " was sent while the order was UNKNOWN, before a lookup answered", lines(events));
                            return;
                        }
                        unknown = f.delivery() == Delivery.AMBIGUOUS
                                || f.code() == ErrorCode.DUPLICATE_CLIENT_ORDER_ID;
                    }
                    case OrderLookedUp l -> {
                        adopting = l.outcome() == OrderLookedUp.Outcome.FOUND;
                        if (adopting || l.outcome() == OrderLookedUp.Outcome.NOT_FOUND && l.afterGrace()) {
                            unknown = false;
                        }
                    }
                    case OrderUpdated u -> {
                        if (unknown && !adopting) {
                            violation(3, u.accountId(), cid, "an order came back from a submit sent while it was "
                                    + "UNKNOWN, before a lookup answered", lines(events));
                            return;
                        }
                        adopting = false;
                    }
                    default -> {
                    }
                }
            }
        });
    }

    /**
     * Law 4: every "not found" in the journal is an answer the exchange actually gave (the wire log at that instant
     * says NOT_FOUND, not an error), and one that proves absence was taken after the grace period.
     */
    private void notFoundIsAnAnswerAfterGrace() {
        Map<String, Set<String>> notFoundAnswers = new HashMap<>();
        for (WireCall w : h.wire()) {
            if (w.op().equals("lookup") && w.outcome().equals(WireCall.NOT_FOUND)) {
                notFoundAnswers.computeIfAbsent(w.clientOrderId(), k -> new HashSet<>()).add(w.at().toString());
            }
        }
        byOrder.forEach((cid, events) -> {
            java.time.Instant lastAttempt = null;
            for (TransactionEvent e : events) {
                if (e instanceof OrderAttemptFailed f) {
                    lastAttempt = f.at();
                }
                if (e instanceof OrderLookedUp l && l.outcome() == OrderLookedUp.Outcome.NOT_FOUND) {
                    if (!notFoundAnswers.getOrDefault(cid, Set.of()).contains(l.at().toString())) {
                        violation(4, l.accountId(), cid, "the journal says 'not found' at " + l.at()
                                + " but the exchange gave no such answer then (a failed request is not a not-found)",
                                concat(lines(events), wireOf(cid)));
                        return;
                    }
                    if (l.afterGrace() && lastAttempt != null
                            && l.at().isBefore(lastAttempt.plus(h.grace()))) {
                        violation(4, l.accountId(), cid, "'not found' taken as proof of absence within the grace "
                                + "period", lines(events));
                        return;
                    }
                }
            }
        });
    }

    /** Law 5: no buy is sent before every sell has settled or failed; cash at the exchange never goes negative. */
    private void sellsBeforeBuysAndNoNegativeCash() {
        byTx.forEach((txId, events) -> {
            if (operations.containsKey(txId)) {
                return; // sells before buys is a rebalance's rule: a bracket buys its entry first
            }
            TransactionView view = new TransactionView();
            boolean sized = false;
            for (TransactionEvent e : events) {
                if (e instanceof BuysSized) {
                    sized = true;
                    boolean sellsDone = view.orders().stream()
                            .filter(o -> o.spec().side() == Side.SELL).allMatch(o -> o.state().isTerminal());
                    if (!sellsDone) {
                        violation(5, e.accountId(), txId, "buys were sized while a sell was still open",
                                lines(events));
                        return;
                    }
                }
                if (e instanceof OrderIntentRecorded i && i.spec().side() == Side.BUY && !sized) {
                    violation(5, i.accountId(), txId, "buy " + i.leg() + " was sent before the sells settled and the "
                            + "buys were sized on the freed cash", lines(events));
                    return;
                }
                view.apply(e);
            }
        });
        for (WireCall w : h.wire()) {
            if (w.cashAfter() != null && w.cashAfter().signum() < 0) {
                violation(5, w.accountId(), w.clientOrderId(), "cash at the exchange went negative: " + w, List.of());
            }
        }
    }

    /**
     * Law 6: after the final recovery every operation is terminal, exactly once, and it ran once: no second BuysSized,
     * no TransactionResumed after its end, no second LastRebalanceMoved and no notification queued twice for it (a
     * second caller re-running a saga on a stale fold, finding 1 of issue 10, leaves these even when the second
     * ending is refused).
     */
    private void everyTransactionEndsOnce() {
        byTx.forEach((txId, events) -> {
            long ends = events.stream().filter(TransactionEnded.class::isInstance).count();
            if (ends != 1) {
                violation(6, events.get(0).accountId(), txId, ends == 0
                        ? "still in progress after the final recovery" : "ended " + ends + " times", lines(events));
                return;
            }
            long sized = events.stream().filter(BuysSized.class::isInstance).count();
            if (sized > 1) {
                violation(6, events.get(0).accountId(), txId, "buys were sized " + sized + " times", lines(events));
                return;
            }
            boolean ended = false;
            for (TransactionEvent e : events) {
                if (ended && e instanceof TransactionResumed) {
                    violation(6, e.accountId(), txId, "resumed after it had ended", lines(events));
                    return;
                }
                ended |= e instanceof TransactionEnded;
            }
        });
        Map<String, Integer> moved = new HashMap<>();
        Map<String, Set<String>> titles = new HashMap<>();
        for (JournalRecord r : h.journal()) {
            if (r.event() instanceof LastRebalanceMoved m && m.txId() != null
                    && moved.merge(m.txId(), 1, Integer::sum) == 2) {
                violation(6, m.accountId(), m.txId(), "last-rebalance moved twice for one transaction",
                        lines(byTx.getOrDefault(m.txId(), List.of())));
            }
            if (r.event() instanceof NotificationQueued q && q.txId() != null
                    && !titles.computeIfAbsent(q.txId(), k -> new HashSet<>()).add(q.title())) {
                violation(6, q.accountId(), q.txId(), "notified twice: " + q.title(),
                        lines(byTx.getOrDefault(q.txId(), List.of())));
            }
        }
    }

    /** Law 7: the last-rebalance date moves only for a COMPLETED rebalance. */
    private void lastRebalanceMovesOnlyOnCompleted() {
        for (JournalRecord r : h.journal()) {
            if (r.event() instanceof LastRebalanceMoved m) {
                TransactionStatus status = status(m.txId());
                if (status != TransactionStatus.COMPLETED) {
                    violation(7, m.accountId(), m.txId(), "last-rebalance moved for a transaction that is " + status,
                            lines(byTx.getOrDefault(m.txId(), List.of())));
                }
            }
        }
    }

    /** Law 8: every outcome other than COMPLETED has a notification in the durable outbox. */
    private void everyOutcomeShortOfCompletedIsNotified() {
        Set<String> notified = new HashSet<>();
        for (JournalRecord r : h.journal()) {
            if (r.event() instanceof NotificationQueued q && q.txId() != null) {
                notified.add(q.txId());
            }
        }
        byTx.forEach((txId, events) -> {
            TransactionStatus status = status(txId);
            if (status != null && status != TransactionStatus.COMPLETED && !notified.contains(txId)) {
                violation(8, events.get(0).accountId(), txId, "ended " + status + " and nobody was told",
                        lines(events));
            }
        });
    }

    /**
     * Whether an operation's order only reduces a position: a close's or a bracket's emergency close's sell, a
     * protective leg's sell (stop-loss, take-profit), or the buy that flattens a double fill's short excess. Whether
     * each really stayed within the position is checked by the protection rules (13-15).
     */
    private boolean reducesPosition(OrderIntentRecorded intent) {
        OperationType type = operations.get(intent.txId());
        if (type == null) {
            return false;
        }
        boolean sell = intent.spec().side() == Side.SELL;
        String leg = intent.leg();
        return switch (type) {
            case POSITION_CLOSE -> sell && leg.equals(CLOSE_LEG);
            case BRACKET_ORDER -> sell && (leg.equals(EMERGENCY_CLOSE_LEG) || leg.startsWith("protect-"));
            case OCO_PAIR, ORDER_MODIFICATION -> sell && leg.startsWith("protect-");
            case OCO_ENFORCEMENT -> !sell && leg.startsWith("flatten-");
            case REBALANCE_ROLLBACK -> sell && leg.startsWith("undo-");
            case BULK_CANCEL -> false;
        };
    }

    /**
     * Law 9: uncertain position, frozen account. Every transaction that ended NEEDS_REVIEW left its account HALTED;
     * from a move to HALTED to the next move away, the wire shows no submit for the account, and while REDUCING no
     * buy. The wire log is ordered among journal events by the journal sequence each answer saw.
     */
    private void frozenAccountSendsNothingButCancelsAndCloses() {
        Map<String, TreeMap<Long, TradingStateChanged>> moves = new HashMap<>();
        Set<String> haltedBy = new HashSet<>();
        Set<String> reducedBy = new HashSet<>();
        for (JournalRecord r : h.journal()) {
            if (r.event() instanceof TradingStateChanged c) {
                moves.computeIfAbsent(c.accountId(), k -> new TreeMap<>()).put(r.sequence(), c);
                if (c.to() == TradingState.HALTED && c.txId() != null) {
                    haltedBy.add(c.txId());
                }
                if (c.to() == TradingState.REDUCING && c.txId() != null) {
                    reducedBy.add(c.txId());
                }
            }
        }
        for (JournalRecord r : h.journal()) {
            if (!(r.event() instanceof TransactionEnded e) || e.status() != TransactionStatus.NEEDS_REVIEW) {
                continue;
            }
            // an order operation may choose the milder freeze, REDUCING, so an operator can still close what is left
            boolean operation = operations.containsKey(e.txId());
            TradingState after = stateAt(moves, e.accountId(), r.sequence());
            boolean frozen = haltedBy.contains(e.txId()) || after == TradingState.HALTED
                    || operation && (reducedBy.contains(e.txId()) || after == TradingState.REDUCING);
            if (!frozen) {
                violation(9, e.accountId(), e.txId(), "ended NEEDS_REVIEW and the account was not "
                        + (operation ? "frozen" : "halted"),
                        lines(byTx.getOrDefault(e.txId(), List.of())));
            }
        }
        for (WireCall w : h.wire()) {
            if (!w.op().equals("submit")) {
                continue;
            }
            // judged on what Keel knew when the submit left it: a halt journaled while the request was in flight
            // cannot call it back (law 9 stops every order not yet sent)
            TradingState state = stateAt(moves, w.accountId(), w.sentSequence());
            OrderIntentRecorded intent = intents.get(w.clientOrderId());
            boolean buy = intent == null || intent.spec().side() == Side.BUY;
            // a frozen account may still reduce what it holds (law 9): closes, protective exits, flattening
            boolean closing = intent != null && reducesPosition(intent);
            if (state == TradingState.HALTED && !closing || state == TradingState.REDUCING && buy && !closing) {
                TradingStateChanged since = moves.get(w.accountId()).floorEntry(w.sentSequence()).getValue();
                violation(9, w.accountId(), w.clientOrderId(), (buy ? "a buy" : "a sell") + " left Keel while the "
                        + "account was " + state + " (since " + since.at() + ": " + since.reason() + ")",
                        List.of("wire: " + w, "journal: " + since));
            }
        }
    }

    /**
     * Law 9, the moves themselves: every TradingStateChanged moves the account from the state it was in (a move
     * from a stale read overwrites one made in between, finding 3 of issue 10), and a HALT by an operator is lifted
     * only by an operator (no ENGINE move away from an operator's HALTED).
     */
    private void tradingStateMovesFromWhereItIsAndOperatorHaltsHold() {
        Map<String, TradingStateChanged> last = new HashMap<>();
        for (JournalRecord r : h.journal()) {
            if (!(r.event() instanceof TradingStateChanged c)) {
                continue;
            }
            TradingStateChanged before = last.put(c.accountId(), c);
            TradingState now = before == null ? TradingState.ACTIVE : before.to();
            if (now == TradingState.HALTED && before.actor() == TradingState.Actor.OPERATOR
                    && c.actor() != TradingState.Actor.OPERATOR) {
                violation(9, c.accountId(), c.txId(), "an operator's halt was lifted by the " + c.actor() + " ("
                        + c.from() + "->" + c.to() + ": " + c.reason() + ")", List.of("journal: " + before,
                        "journal " + r.sequence() + ": " + c));
            } else if (c.from() != now) {
                violation(9, c.accountId(), c.txId(), "moved " + c.from() + "->" + c.to() + " while the account was "
                        + now + " (a move from a stale read)", List.of("journal: " + before,
                        "journal " + r.sequence() + ": " + c));
            }
        }
    }

    private static TradingState stateAt(Map<String, TreeMap<Long, TradingStateChanged>> moves, String account,
                                        long sequence) {
        TreeMap<Long, TradingStateChanged> of = moves.get(account);
        Map.Entry<Long, TradingStateChanged> last = of == null ? null : of.floorEntry(sequence);
        return last == null ? TradingState.ACTIVE : last.getValue().to();
    }

    /**
     * The journal's final view of each account (its holdings before, plus every fill it recorded) equals the
     * exchange's, unless the account has a transaction in NEEDS_REVIEW.
     */
    private void journalAgreesWithExchangeOrReview() {
        Set<String> review = new HashSet<>();
        byTx.forEach((txId, events) -> {
            if (status(txId) == TransactionStatus.NEEDS_REVIEW) {
                review.add(events.get(0).accountId());
            }
        });
        for (Map.Entry<String, AccountSnapshot> e : h.last().entrySet()) {
            String account = e.getKey();
            if (review.contains(account)) {
                continue;
            }
            AccountSnapshot before = h.initial().get(account);
            Map<Symbol, BigDecimal> expected = new TreeMap<>();
            before.positions().forEach(p -> expected.put(p.symbol(), p.quantity()));
            BigDecimal cash = before.cash();
            Map<String, OrderUpdated> lastUpdate = new HashMap<>();
            for (List<TransactionEvent> events : byTx.values()) {
                for (TransactionEvent ev : events) {
                    if (ev instanceof OrderUpdated u && account.equals(u.accountId())) {
                        lastUpdate.put(u.clientOrderId(), u);
                    }
                }
            }
            for (OrderUpdated u : lastUpdate.values()) {
                OrderIntentRecorded intent = intents.get(u.clientOrderId());
                if (intent == null) {
                    violation(1, account, u.clientOrderId(), "the journal recorded an order for client order id "
                            + u.clientOrderId() + " without an intent for it", List.of("journal: " + u));
                    continue;
                }
                BigDecimal qty = u.filledQuantity();
                BigDecimal value = u.filledAvgPrice() == null ? BigDecimal.ZERO : qty.multiply(u.filledAvgPrice());
                boolean buy = intent.spec().side() == Side.BUY;
                expected.merge(intent.spec().symbol(), buy ? qty : qty.negate(), BigDecimal::add);
                cash = buy ? cash.subtract(value) : cash.add(value);
            }
            AccountSnapshot actual = e.getValue();
            List<String> differences = new ArrayList<>();
            TreeSet<Symbol> symbols = new TreeSet<>(expected.keySet());
            actual.positions().stream().map(Position::symbol).forEach(symbols::add);
            for (Symbol s : symbols) {
                BigDecimal want = expected.getOrDefault(s, BigDecimal.ZERO);
                if (want.subtract(actual.quantity(s)).abs().compareTo(QUANTITY_TOLERANCE) > 0) {
                    differences.add(s + ": journal " + want.stripTrailingZeros().toPlainString() + ", exchange "
                            + actual.quantity(s).stripTrailingZeros().toPlainString());
                }
            }
            if (cash.subtract(actual.cash()).abs().compareTo(CASH_TOLERANCE) > 0) {
                differences.add("cash: journal " + cash.setScale(2, java.math.RoundingMode.HALF_EVEN)
                        + ", exchange " + actual.cash());
            }
            if (!differences.isEmpty()) {
                violation(0, account, null, "journal and exchange disagree and no transaction is in review: "
                        + String.join("; ", differences), List.of());
            }
        }
    }

    /**
     * Law 12: every order was sized on a quote Keel could trust. The checker does not take the engine's word: for
     * each intent it finds the quote the plan journaled for its symbol and checks that the source really answered it
     * (the wire log), that it was young enough for that source, positive, not crossed, its spread within bounds, that
     * its mid was within the outlier bound of a reference price the symbol really had, and that a fallback source's
     * quote was used only where the account allows degraded data.
     */
    private void noOrderSizedOnUntrustedData() {
        Map<String, Scenario.AccountSetup> setups = new HashMap<>();
        h.scenario().accounts().forEach(a -> setups.put(a.id(), a));
        byTx.forEach((txId, events) -> {
            if (operations.containsKey(txId)) {
                return; // an operator's operation is priced by the operator, not sized on market data
            }
            PlanInputsRecorded inputs = events.stream().filter(PlanInputsRecorded.class::isInstance)
                    .map(PlanInputsRecorded.class::cast).findFirst().orElse(null);
            for (TransactionEvent e : events) {
                if (!(e instanceof OrderIntentRecorded intent)) {
                    continue;
                }
                String problem = untrusted(intent, inputs, setups.get(intent.accountId()));
                if (problem != null) {
                    violation(UNTRUSTED_DATA_LAW, intent.accountId(), txId, intent.leg() + " was sized on data Keel"
                            + " does not trust: " + problem, concat(lines(events),
                            quotesOnTheWire(intent).stream().map(w -> "wire: " + w).toList()));
                    return;
                }
            }
        });
    }

    /** Why the quote {@code intent} was sized on cannot be trusted, or null when it can. */
    private String untrusted(OrderIntentRecorded intent, PlanInputsRecorded inputs, Scenario.AccountSetup account) {
        if (inputs == null) {
            return "the journal holds no record of the prices the plan was sized on";
        }
        String symbol = intent.spec().symbol().value();
        PlanInputsRecorded.Price p = inputs.price(symbol);
        if (p == null || p.trust() == Trust.UNTRUSTED || p.bid() == null) {
            return "the plan had no trusted quote of " + symbol;
        }
        boolean primary = BrokerQuoteSource.NAME.equals(p.source());
        if (p.trust() == Trust.TRUSTED != primary) {
            return p.source() + "'s quote was marked " + p.trust();
        }
        if (!primary && !account.allowDegraded()) {
            return "a DEGRADED quote from " + p.source() + " where the account refuses degraded data";
        }
        Duration maxAge = Simulation.MAX_AGE.get(p.source());
        Duration age = Duration.between(p.quotedAt(), p.checkedAt());
        if (maxAge == null || age.compareTo(maxAge) > 0) {
            return p.source() + "'s quote was " + age + " old, more than the " + maxAge + " allowed";
        }
        if (p.bid().signum() <= 0 || p.bid().compareTo(p.ask()) > 0) {
            return "a zero, negative or crossed quote " + p.bid() + "/" + p.ask();
        }
        BigDecimal mid = p.bid().add(p.ask()).divide(BigDecimal.TWO, 10, RoundingMode.HALF_EVEN);
        if (p.ask().subtract(p.bid()).divide(mid, 10, RoundingMode.HALF_EVEN)
                .compareTo(MarketDataPolicy.DEFAULT_MAX_SPREAD) > 0) {
            return "a spread wider than allowed: " + p.bid() + "/" + p.ask();
        }
        String outlier = outlier(p, mid, intent, account);
        if (outlier != null) {
            return outlier;
        }
        String op = WireCall.quoteOp(p.source());
        boolean answered = quotesOnTheWire(intent).stream().anyMatch(w -> w.op().equals(op)
                && !w.at().isAfter(p.checkedAt()) && w.quote().bid().compareTo(p.bid()) == 0
                && w.quote().ask().compareTo(p.ask()) == 0 && w.quote().at().equals(p.quotedAt()));
        return answered ? null : p.source() + " never answered the quote " + p.bid() + "/" + p.ask() + " at "
                + p.quotedAt();
    }

    /**
     * Why the quote's outlier check does not hold up, or null. A fallback source with bars gives every symbol a
     * daily close, so the check must have run against a price the symbol really had; with the live source alone, a
     * fresh engine has nothing to compare against until its first good quote, and the check is vacuous.
     */
    private String outlier(PlanInputsRecorded.Price p, BigDecimal mid, OrderIntentRecorded intent,
                           Scenario.AccountSetup account) {
        if (p.reference() == null) {
            if (account.fallbacks() == 0) {
                return null;
            }
            BigDecimal close = account.prices().get(intent.spec().symbol()); // the close before the run began
            if (mid.subtract(close).abs().divide(close, 10, RoundingMode.HALF_EVEN).compareTo(Simulation.OUTLIER) > 0) {
                return "mid " + mid.stripTrailingZeros().toPlainString() + " is an outlier against the last close "
                        + close + ", and no outlier check ran";
            }
            return "no reference price: the outlier check did not run although the daily closes were there";
        }
        if (pricesShown(intent.accountId(), intent.spec().symbol()).stream()
                .noneMatch(shown -> shown.subtract(p.reference()).abs().compareTo(PRICE_TOLERANCE) <= 0)) {
            return "its outlier check compared against " + p.reference() + ", not a price "
                    + intent.spec().symbol() + " ever had";
        }
        BigDecimal move = mid.subtract(p.reference()).abs().divide(p.reference(), 10, RoundingMode.HALF_EVEN);
        if (move.compareTo(Simulation.OUTLIER) > 0) {
            return "mid " + mid.stripTrailingZeros().toPlainString() + " is an outlier against " + p.reference();
        }
        return null;
    }

    /** Every mid {@code symbol} had at the account's exchange: its starting price and every move of it. */
    private List<BigDecimal> pricesShown(String accountId, Symbol symbol) {
        List<BigDecimal> shown = new ArrayList<>();
        h.scenario().accounts().stream().filter(a -> a.id().equals(accountId))
                .forEach(a -> shown.add(a.prices().get(symbol)));
        for (Scenario.Step step : h.scenario().work()) {
            if (step instanceof Scenario.MovePrices m && m.accountId().equals(accountId)
                    && m.prices().containsKey(symbol)) {
                shown.add(m.prices().get(symbol));
            }
        }
        shown.removeIf(java.util.Objects::isNull);
        return shown;
    }

    /** The quotes every source answered for the intent's account and symbol, in order. */
    private List<WireCall> quotesOnTheWire(OrderIntentRecorded intent) {
        if (quoteAnswers == null) {
            quoteAnswers = new HashMap<>();
            for (WireCall w : h.wire()) {
                if (w.quote() != null) {
                    quoteAnswers.computeIfAbsent(w.accountId() + " " + w.clientOrderId(), k -> new ArrayList<>()).add(w);
                }
            }
        }
        return quoteAnswers.getOrDefault(intent.accountId() + " " + intent.spec().symbol().value(), List.of());
    }

    /** Every order the exchanges hold, by client order id (the first, should law 2 be broken). */
    private Map<String, ExchangeOrderLogEntry> exchangeOrders() {
        if (exchangeOrders == null) {
            exchangeOrders = new HashMap<>();
            h.orders().values().forEach(list -> list.forEach(o -> exchangeOrders.putIfAbsent(o.clientOrderId(), o)));
        }
        return exchangeOrders;
    }

    private List<OrdersLinked> links(String txId) {
        return byTx.getOrDefault(txId, List.of()).stream().filter(OrdersLinked.class::isInstance)
                .map(OrdersLinked.class::cast).toList();
    }

    private static BigDecimal filledBy(ExchangeOrderLogEntry o, Instant at) {
        BigDecimal filled = BigDecimal.ZERO;
        if (o != null) {
            for (ExchangeOrderLogEntry.Fill f : o.fills()) {
                if (!f.at().isAfter(at)) {
                    filled = filled.add(f.quantity());
                }
            }
        }
        return filled;
    }

    /**
     * Whether the exchange had {@code o} working at {@code at}: from its creation to its end, both included, since
     * simulated time stands still between steps (a pair placed and cancelled by the next operation in the same
     * instant did stand at the exchange).
     */
    private static boolean workingAt(ExchangeOrderLogEntry o, Instant at) {
        if (o == null || o.createdAt().isAfter(at) || o.state() == OrderState.REJECTED) {
            return false;
        }
        return o.state().isLive() || !at.isAfter(o.updatedAt());
    }

    /** The shares a pair may sell: the larger of its legs. */
    private BigDecimal pairQuantity(OrdersLinked link) {
        BigDecimal q = BigDecimal.ZERO;
        for (String cid : List.of(link.takeProfitOrderId(), link.stopLossOrderId())) {
            OrderIntentRecorded i = intents.get(cid);
            if (i != null) {
                q = q.max(i.spec().quantity());
            }
        }
        return q;
    }

    /**
     * Rule 13: no position is unprotected beyond the grace. For every fill of a bracket's entry at the exchange, at
     * some moment within {@link #PROTECTION_GRACE} after the engine saw it (its first journaled report of the entry
     * with that much filled; the exchange's fill time when there is none, or when that is later) the exchange held
     * working protective orders of the bracket
     * covering everything the bracket then held (its entry's fills less what its legs and its emergency close sold),
     * or the bracket had moved to ROLLING_BACK (it gave up on protection and is closing the position), or the
     * operation ended NEEDS_REVIEW (an operator was told the position may be unprotected).
     */
    private void filledBracketEntriesAreProtectedWithinGrace() {
        Map<String, ExchangeOrderLogEntry> x = exchangeOrders();
        operations.forEach((txId, type) -> {
            if (type != OperationType.BRACKET_ORDER || status(txId) == TransactionStatus.NEEDS_REVIEW) {
                return;
            }
            ExchangeOrderLogEntry entry = x.get(ClientOrderIds.derive(txId, ENTRY_LEG));
            if (entry == null || entry.fills().isEmpty()) {
                return;
            }
            List<OrdersLinked> links = links(txId);
            ExchangeOrderLogEntry close = x.get(ClientOrderIds.derive(txId, EMERGENCY_CLOSE_LEG));
            List<ExchangeOrderLogEntry> legs = new ArrayList<>();
            links.forEach(l -> {
                legs.add(x.get(l.takeProfitOrderId()));
                legs.add(x.get(l.stopLossOrderId()));
            });
            BigDecimal cumulative = BigDecimal.ZERO;
            for (ExchangeOrderLogEntry.Fill fill : entry.fills()) {
                cumulative = cumulative.add(fill.quantity());
                Instant from = seen(txId, entry.clientOrderId(), cumulative, fill.at());
                Instant until = from.plus(PROTECTION_GRACE);
                TreeSet<Instant> moments = new TreeSet<>(List.of(from, until));
                List<ExchangeOrderLogEntry> all = new ArrayList<>(legs);
                all.add(entry);
                all.add(close);
                for (ExchangeOrderLogEntry o : all) {
                    if (o == null) {
                        continue;
                    }
                    moments.add(o.createdAt());
                    moments.add(o.updatedAt());
                    o.fills().forEach(f -> moments.add(f.at()));
                }
                boolean protectedInTime = rollingBackBy(txId, until);
                BigDecimal lastPosition = BigDecimal.ZERO;
                BigDecimal lastCover = BigDecimal.ZERO;
                for (Instant at : protectedInTime ? new TreeSet<Instant>() : moments.subSet(from, true, until, true)) {
                    BigDecimal position = filledBy(entry, at).subtract(filledBy(close, at));
                    BigDecimal cover = BigDecimal.ZERO;
                    for (OrdersLinked l : links) {
                        ExchangeOrderLogEntry tp = x.get(l.takeProfitOrderId());
                        ExchangeOrderLogEntry sl = x.get(l.stopLossOrderId());
                        BigDecimal sold = filledBy(tp, at).add(filledBy(sl, at));
                        position = position.subtract(sold);
                        if (workingAt(tp, at) || workingAt(sl, at)) {
                            cover = cover.add(pairQuantity(l).subtract(sold).max(BigDecimal.ZERO));
                        }
                    }
                    lastPosition = position;
                    lastCover = cover;
                    if (position.subtract(cover).compareTo(QUANTITY_TOLERANCE) <= 0) {
                        protectedInTime = true;
                        break;
                    }
                }
                if (!protectedInTime) {
                    violation(PROTECTION_RULE, entry.accountId(), txId, "the entry filled " + plain(fill.quantity())
                            + " at " + fill.at() + ", seen " + from + ", and for " + PROTECTION_GRACE.toSeconds()
                            + " s the exchange never held "
                            + "protective orders covering the position (at " + until + ": " + plain(lastPosition)
                            + " held, " + plain(lastCover) + " covered); the operation ended " + status(txId),
                            concat(lines(byTx.get(txId)), all.stream().filter(java.util.Objects::nonNull)
                                    .map(o -> "exchange: " + o).toList()));
                    return;
                }
            }
        });
    }

    /**
     * When the engine saw an order fill {@code filled} in all: its first journaled report with that much filled, but
     * never before {@code filledAt}; {@code filledAt} when the journal has no such report. Protection can start only
     * once a fill is seen, and seeing it depends on the broker answering lookups.
     */
    private Instant seen(String txId, String clientOrderId, BigDecimal filled, Instant filledAt) {
        for (TransactionEvent e : byTx.getOrDefault(txId, List.of())) {
            if (e instanceof OrderUpdated u && u.clientOrderId().equals(clientOrderId)
                    && u.filledQuantity().compareTo(filled) >= 0) {
                return u.at().isAfter(filledAt) ? u.at() : filledAt;
            }
        }
        return filledAt;
    }

    /** Whether the operation moved to ROLLING_BACK at or before {@code until}. */
    private boolean rollingBackBy(String txId, Instant until) {
        return byTx.getOrDefault(txId, List.of()).stream().anyMatch(e -> e instanceof OperationStateChanged c
                && c.to() == dev.keel.core.model.OperationState.ROLLING_BACK && !c.at().isAfter(until));
    }

    /**
     * Rule 14: no protective order outlives its position. After the final watch, per account and symbol, what the
     * working legs of protective links may still sell at the exchange (a pair counted once: its larger working leg)
     * is at most the shares held there.
     */
    private void noProtectiveOrderOutlivesItsPosition() {
        Map<String, ExchangeOrderLogEntry> x = exchangeOrders();
        Map<String, Map<Symbol, BigDecimal>> protecting = new TreeMap<>();
        Map<String, List<String>> pairs = new HashMap<>();
        for (JournalRecord r : h.journal()) {
            if (!(r.event() instanceof OrdersLinked l)) {
                continue;
            }
            BigDecimal most = BigDecimal.ZERO;
            Symbol symbol = null;
            for (String cid : List.of(l.takeProfitOrderId(), l.stopLossOrderId())) {
                ExchangeOrderLogEntry o = x.get(cid);
                if (o != null && o.state().isLive()) {
                    most = most.max(o.spec().quantity().subtract(o.filledQuantity()));
                    symbol = o.spec().symbol();
                }
            }
            if (symbol != null) {
                protecting.computeIfAbsent(l.accountId(), k -> new TreeMap<>()).merge(symbol, most, BigDecimal::add);
                pairs.computeIfAbsent(l.accountId() + " " + symbol, k -> new ArrayList<>()).add("link: " + l
                        + "; exchange: " + x.get(l.takeProfitOrderId()) + " / " + x.get(l.stopLossOrderId()));
            }
        }
        protecting.forEach((account, bySymbol) -> bySymbol.forEach((symbol, qty) -> {
            BigDecimal held = h.last().get(account).quantity(symbol);
            if (qty.subtract(held).compareTo(QUANTITY_TOLERANCE) > 0) {
                violation(OUTLIVED_PROTECTION_RULE, account, null, "after the final watch the exchange holds working "
                        + "protective orders selling " + plain(qty) + " " + symbol + " but the account holds "
                        + plain(held), pairs.get(account + " " + symbol));
            }
        }));
    }

    /**
     * Rule 18: the index of working orders never hides what may be at the broker. The protection watch and the account
     * check skip a transaction whose last record says nothing of it is working; so every {@link OrdersWorking} says
     * what the fold of the transaction's records before it has working (orders ACCEPTED, PARTIALLY_FILLED or
     * UNKNOWN, links not ended). A note made from a view that missed a record breaks it, even when a later pass
     * writes a true one.
     */
    private void theIndexOfWorkingOrdersSaysWhatTheFoldHas() {
        byTx.forEach((txId, events) -> {
            TransactionView view = new TransactionView();
            for (TransactionEvent e : events) {
                if (e instanceof OrdersWorking note) {
                    int working = view.working();
                    if (note.working() != working) {
                        violation(WORKING_INDEX_RULE, note.accountId(), operations.containsKey(txId)
                                ? operations.get(txId).name() : null, txId + " noted " + note.orders()
                                + " orders and " + note.links() + " links working at " + note.at()
                                + ", but its records before the note have " + working,
                                events.stream().map(Object::toString).toList());
                        return;
                    }
                }
                view.apply(e);
            }
        });
    }

    /**
     * Rule 19: the health report of the run says what its records say. The report reads the meters each record moves
     * on its own from the journal's tallies, and folds only the transactions the tallies mark and those still open for
     * the rest (orders in flight or unknown, a resubmit's answer): over a window from the run's first minute, and one
     * from the minute of its middle record, its meters equal those of feeding every record of the window to
     * {@link KeelMetrics}. Durations are held over the whole run only: a window now counts every ending in it.
     */
    private void theHealthReportSaysWhatTheRecordsSay() {
        List<String> differ = reportDifferences(h.journal(), (journal, clock, window) -> Health.assess(journal, clock,
                window, List.of()).metrics());
        if (!differ.isEmpty()) {
            violation(HEALTH_REPORT_RULE, null, null, "the health report differs from its records: "
                    + String.join("; ", differ), differ);
        }
    }

    /** A health report's meters of a window ending at the clock's instant. */
    @FunctionalInterface
    interface Report {
        Map<String, Double> metrics(Journal journal, Clock clock, Duration window);
    }

    /** Where {@code report} of a journal holding {@code records} says other than the records fed to the meters. */
    static List<String> reportDifferences(List<JournalRecord> records, Report report) {
        if (records.isEmpty()) {
            return List.of();
        }
        MemoryJournal journal = new MemoryJournal();
        records.forEach(r -> journal.append(r.event()));
        Instant first = records.getFirst().event().at();
        Instant now = records.stream().map(r -> r.event().at()).max(Instant::compareTo).orElseThrow().plusSeconds(60);
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        for (Instant at : List.of(first, records.get(records.size() / 2).event().at())) {
            Instant from = Instant.ofEpochSecond(Tallies.minute(at) * 60);
            Map<String, Double> reported = new TreeMap<>(report.metrics(journal, clock, Duration.between(from, now)));
            KeelMetrics every = new KeelMetrics(new SimpleMeterRegistry(), clock);
            records.stream().filter(r -> !r.event().at().isBefore(from)).forEach(r -> every.observe(r.event()));
            Map<String, Double> fed = every.snapshot();
            if (from.isAfter(Instant.ofEpochSecond(Tallies.minute(first) * 60))) {
                reported.keySet().removeIf(k -> k.startsWith(Tallies.DURATION));
                fed.keySet().removeIf(k -> k.startsWith(Tallies.DURATION));
            }
            List<String> differ = new ArrayList<>();
            Set<String> keys = new java.util.TreeSet<>(reported.keySet());
            keys.addAll(fed.keySet());
            for (String k : keys) {
                Double a = reported.get(k);
                Double b = fed.get(k);
                if (a == null || b == null || Math.abs(a - b) > 1e-6 * Math.max(1, Math.abs(b))) {
                    differ.add("from " + from + ", " + k + ": the report says " + a + ", the records " + b);
                }
            }
            if (!differ.isEmpty()) {
                return differ;
            }
        }
        return List.of();
    }

    /**
     * Rule 15: no double fill unflattened. Every link whose two legs together filled more than the pair at the
     * exchange has a DoubleFillDetected in an enforcement of that link, a notification with OCO_DOUBLE_FILL, and flatten
     * orders that bought the excess back at the exchange (or the enforcement ended NEEDS_REVIEW, and said so).
     */
    private void noDoubleFillUnflattened() {
        Map<String, ExchangeOrderLogEntry> x = exchangeOrders();
        Map<String, String> enforcementOwner = new HashMap<>();
        for (JournalRecord r : h.journal()) {
            if (r.event() instanceof OperationRequested q && q.type() == OperationType.OCO_ENFORCEMENT) {
                enforcementOwner.put(q.txId(), q.params().rollbackOf() + " " + q.params().clientOrderId());
            }
        }
        Map<String, List<String>> notified = new HashMap<>();
        for (JournalRecord r : h.journal()) {
            if (r.event() instanceof NotificationQueued q && q.txId() != null) {
                notified.computeIfAbsent(q.txId(), k -> new ArrayList<>()).add(q.body());
            }
        }
        for (JournalRecord r : h.journal()) {
            if (!(r.event() instanceof OrdersLinked l)) {
                continue;
            }
            ExchangeOrderLogEntry tp = x.get(l.takeProfitOrderId());
            ExchangeOrderLogEntry sl = x.get(l.stopLossOrderId());
            BigDecimal sold = (tp == null ? BigDecimal.ZERO : tp.filledQuantity())
                    .add(sl == null ? BigDecimal.ZERO : sl.filledQuantity());
            BigDecimal excess = sold.subtract(pairQuantity(l));
            if (excess.compareTo(QUANTITY_TOLERANCE) <= 0) {
                continue;
            }
            String key = l.txId() + " " + l.takeProfitOrderId();
            List<DoubleFillDetected> detected = new ArrayList<>();
            for (JournalRecord d : h.journal()) {
                if (d.event() instanceof DoubleFillDetected f && f.link().equals(l.link())
                        && key.equals(enforcementOwner.get(f.txId()))) {
                    detected.add(f);
                }
            }
            List<String> context = new ArrayList<>(List.of("link: " + l, "exchange: " + tp, "exchange: " + sl));
            if (detected.isEmpty()) {
                violation(DOUBLE_FILL_RULE, l.accountId(), l.txId(), "both legs of " + l.link() + " filled (" + plain(sold)
                        + " sold by a " + plain(pairQuantity(l)) + "-share pair) and no double fill was detected",
                        context);
                continue;
            }
            BigDecimal bought = BigDecimal.ZERO;
            boolean reported = false;
            boolean review = false;
            for (DoubleFillDetected d : detected) {
                ExchangeOrderLogEntry flatten = x.get(d.flattenOrderId());
                bought = bought.add(flatten == null ? BigDecimal.ZERO : flatten.filledQuantity());
                reported |= notified.getOrDefault(d.txId(), List.of()).stream()
                        .anyMatch(b -> b.contains(ErrorCode.OCO_DOUBLE_FILL.name()));
                review |= status(d.txId()) == TransactionStatus.NEEDS_REVIEW;
                context.add("journal: " + d);
                context.add("exchange: " + flatten);
            }
            if (!reported) {
                violation(DOUBLE_FILL_RULE, l.accountId(), l.txId(), "the double fill of " + l.link()
                        + " was never reported (no notification with " + ErrorCode.OCO_DOUBLE_FILL + ")", context);
            } else if (bought.compareTo(excess.subtract(QUANTITY_TOLERANCE)) < 0 && !review) {
                violation(DOUBLE_FILL_RULE, l.accountId(), l.txId(), "both legs of " + l.link() + " sold "
                        + plain(excess) + " too many and the flatten orders bought back " + plain(bought)
                        + ", yet no enforcement ended NEEDS_REVIEW", context);
            }
        }
    }

    /**
     * Rule 16: every operation's state moves follow OperationState's table from PENDING to one terminal state, the
     * one its transaction ended with (an operation closed by the engine's guard after an unexpected exception has
     * none: a bug); and a modification's replacement went to the exchange only once the old order had ended there,
     * sized so that the old order's fills plus the replacement never exceed the intended quantity.
     */
    private void operationsEndByTheTableAndModificationsStayWithinIntent() {
        Map<String, ExchangeOrderLogEntry> x = exchangeOrders();
        operations.forEach((txId, type) -> {
            List<TransactionEvent> events = byTx.get(txId);
            OperationState at = null;
            boolean first = true;
            for (TransactionEvent e : events) {
                if (e instanceof OperationStateChanged m) {
                    boolean legal = first ? m.from() == null && m.to() == OperationState.PENDING
                            : m.from() == at && at.canMoveTo(m.to());
                    if (!legal) {
                        violation(OPERATION_RULE, m.accountId(), txId, type + " moved " + m.from() + " -> " + m.to()
                                + " from " + at + ", against OperationState's table", lines(events));
                        return;
                    }
                    at = m.to();
                    first = false;
                }
            }
            TransactionEnded end = events.stream().filter(TransactionEnded.class::isInstance)
                    .map(TransactionEnded.class::cast).findFirst().orElse(null);
            if (end != null && (at == null || !at.isTerminal() || at.transactionStatus() != end.status())) {
                violation(OPERATION_RULE, end.accountId(), txId, type + " ended " + end.status() + " in operation "
                        + "state " + at + ": " + end.errorMessage(), lines(events));
                return;
            }
            if (type == OperationType.ORDER_MODIFICATION) {
                modificationStaysWithinIntent(txId, events, x);
            }
        });
    }

    private void modificationStaysWithinIntent(String txId, List<TransactionEvent> events,
                                               Map<String, ExchangeOrderLogEntry> x) {
        OperationParams p = events.stream().filter(OperationRequested.class::isInstance)
                .map(e -> ((OperationRequested) e).params()).findFirst().orElse(null);
        ExchangeOrderLogEntry replacement = x.get(ClientOrderIds.derive(txId, MODIFICATION_LEG));
        ExchangeOrderLogEntry old = p == null ? null : x.get(p.clientOrderId());
        if (replacement == null || old == null) {
            return;
        }
        BigDecimal intended = p.newQuantity() != null ? p.newQuantity() : old.spec().quantity();
        List<String> context = concat(lines(events), List.of("exchange: " + old, "exchange: " + replacement));
        if (!old.state().isTerminal() || old.updatedAt().isAfter(replacement.createdAt())) {
            violation(OPERATION_RULE, old.accountId(), txId, "the replacement " + replacement.clientOrderId()
                    + " was working while the old order " + old.clientOrderId() + " still was (" + old.state()
                    + " at " + old.updatedAt() + ")", context);
        } else if (filledBy(old, replacement.createdAt()).add(replacement.spec().quantity()).subtract(intended)
                .compareTo(QUANTITY_TOLERANCE) > 0) {
            violation(OPERATION_RULE, old.accountId(), txId, "the old order filled " + plain(old.filledQuantity())
                    + " and its replacement is for " + plain(replacement.spec().quantity()) + ": more than the "
                    + plain(intended) + " intended", context);
        }
    }

    private static String plain(BigDecimal q) {
        return q.stripTrailingZeros().toPlainString();
    }

    private TransactionStatus status(String txId) {
        for (TransactionEvent e : byTx.getOrDefault(txId, List.of())) {
            if (e instanceof TransactionEnded end) {
                return end.status();
            }
        }
        return null;
    }

    private void violation(int law, String account, String operation, String message, List<String> context) {
        violations.add(new Violation(seed, law, account, operation, message, context));
    }

    private List<String> wireOf(String cid) {
        return h.wire().stream().filter(w -> cid.equals(w.clientOrderId())).map(w -> "wire: " + w).toList();
    }

    private static List<String> lines(List<? extends JournalEvent> events) {
        return events.stream().map(e -> "journal: " + e).toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}

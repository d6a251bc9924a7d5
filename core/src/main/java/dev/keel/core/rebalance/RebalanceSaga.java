package dev.keel.core.rebalance;

import dev.keel.core.account.AccountSession;
import dev.keel.core.broker.Broker;
import dev.keel.core.broker.BrokerException;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.error.Severity;
import dev.keel.core.execution.ClientOrderIds;
import dev.keel.core.execution.OperationContext;
import dev.keel.core.execution.OrderExecutor;
import dev.keel.core.execution.OrderResult;
import dev.keel.core.execution.TransactionLedger;
import dev.keel.core.journal.BuysSized;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.LastRebalanceMoved;
import dev.keel.core.journal.PlanInputsRecorded;
import dev.keel.core.journal.ReconciliationRecorded;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.core.journal.TransactionStarted;
import dev.keel.core.marketdata.CheckedQuote;
import dev.keel.core.marketdata.QuoteChain;
import dev.keel.core.marketdata.Trust;
import dev.keel.core.ops.LiveOrders;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.MarketClock;
import dev.keel.core.model.PlannedOrder;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import dev.keel.core.model.TradingState;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.reconcile.AccountCheck;
import dev.keel.core.reconcile.Reconciler;
import dev.keel.core.reconcile.Reconciliation;
import dev.keel.core.risk.RiskCheck;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rebalance of the Dalio Lite spec as a saga over the journal: pre-flight, plan, sells, buys sized on the cash
 * the sells freed (law 5), reconciliation, exactly one terminal state (law 6), the last-rebalance date only on
 * COMPLETED (law 7), and a notification in the same atomic append as the terminal state (law 8). The account's
 * trading state (law 9) is read at pre-flight and again before each phase: HALTED sends nothing, REDUCING sends the
 * sells and skips the buys; a move the outcome calls for is journaled in the terminal state's append.
 *
 * <p>Every step reads the transaction's folded state first, so {@link #resume} after a crash runs the same code and
 * skips what the journal says is done. The caller holds the account's lock.
 *
 * <p>The targets are the account's own or fetched whole from its allocation source first (a failure ABORTS the
 * run); prices come from the account's {@link QuoteChain}, and a symbol without a quote Keel trusts is skipped with
 * a typed error. What the plan was computed from is journaled with its start ({@link PlanInputsRecorded}).
 */
public final class RebalanceSaga {
    private static final Logger LOG = LoggerFactory.getLogger(RebalanceSaga.class);
    /** The operation name in the transaction log. */
    public static final String OPERATION = "rebalance";

    private final AccountSession session;
    private final Journal journal;
    private final OrderExecutor executor;
    private final RebalancePlanner planner;
    private final Clock clock;
    private final ProgressListener progress;
    private final QuoteChain quotes;

    /**
     * @param session   the account's session: its lease, its trading state and the single ending of a transaction
     * @param quotes    the account's market-data chain; it remembers last good prices, so it should outlive one run
     */
    public RebalanceSaga(AccountSession session, OrderExecutor executor, RebalancePlanner planner, Clock clock,
                         ProgressListener progress, QuoteChain quotes) {
        this.session = Objects.requireNonNull(session, "session");
        this.journal = session.journal();
        this.executor = Objects.requireNonNull(executor, "executor");
        this.planner = Objects.requireNonNull(planner, "planner");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.quotes = Objects.requireNonNull(quotes, "quotes");
    }

    /** Pre-flight and plan only; nothing is journaled or sent (the allocation source is asked, though). */
    public RebalancePlan dryRun(RebalanceAccount account) {
        TargetAllocation target = account.currentTarget();
        Broker broker = executor.gateway().broker();
        AccountSnapshot snapshot = executor.gateway().read(broker::account);
        return plan(snapshot, target);
    }

    /** Runs a new rebalance of {@code account} as transaction {@code ctx.txId()}. */
    public RebalanceOutcome start(RebalanceAccount account, OperationContext ctx) {
        TransactionLedger ledger = session.begin(ctx);
        AccountSnapshot snapshot;
        RebalancePlan plan;
        TradingState trading = tradingState(ctx.accountId());
        try {
            if (trading == TradingState.HALTED) {
                throw new KeelException(ErrorCode.ACCOUNT_HALTED, "the account is "
                        + session.status().describe() + "; nothing is sent until an operator resumes it",
                        ctx.errorContext(), null);
            }
            boolean placementOpen = session.placement().open(); // first: it lets an OPEN breaker past its wait half-open
            CircuitBreaker.State state = executor.gateway().breaker().getState();
            if (placementOpen || state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN) {
                throw new KeelException(ErrorCode.BROKER_UNAVAILABLE, "the broker's circuit breaker is open",
                        ctx.errorContext(), null);
            }
            TargetAllocation target = account.currentTarget();
            Broker broker = executor.gateway().broker();
            // orders of ended transactions (a bracket's resting stop) may have filled: the engine's protection watch
            // synced them under this lock just before, and the check syncs again before it calls a disagreement real
            snapshot = executor.gateway().read(broker::account);
            MarketClock market = executor.gateway().read(broker::clock);
            if (!market.open()) {
                throw new KeelException(ErrorCode.MARKET_CLOSED, "the market is closed; it opens "
                        + market.nextOpen(), ctx.errorContext(), null);
            }
            LiveOrders.Checked checked = LiveOrders.check(journal, executor, ctx.accountId(), snapshot);
            snapshot = checked.snapshot();
            AccountCheck check = checked.check();
            if (!check.agrees()) {
                return mismatch(ledger, OPERATION, snapshot, check);
            }
            plan = plan(snapshot, target);
        } catch (KeelException e) {
            return abort(ledger, account, List.of(), null, BigDecimal.ZERO, e.code(), e.getMessage());
        }
        progress.planned(plan);
        if (!plan.rebalanceNeeded()) {
            // journaled too: the account was checked and nothing was needed (the last-rebalance date stays)
            return close(ledger, OPERATION, List.of(), snapshot, plan.cashReserve(), TransactionStatus.COMPLETED,
                    null, null, "every symbol is within its drift threshold; nothing sent");
        }
        RiskCheck risk = RiskCheck.check(plan, account.risk());
        if (!risk.passed()) {
            return abort(ledger, account, plan.orders(), snapshot, plan.cashReserve(),
                    ErrorCode.RISK_LIMIT_EXCEEDED, risk.summary());
        }
        if (trading == TradingState.REDUCING && plan.sells().isEmpty()) {
            return abort(ledger, account, plan.orders(), snapshot, plan.cashReserve(), ErrorCode.ACCOUNT_REDUCING,
                    "the account is " + session.status().describe() + "; the plan has no sell, and its "
                            + plan.buys().size() + " buy(s) are not sent");
        }
        ledger.recordAll(List.of(new TransactionStarted(ctx.txId(), ctx.accountId(), OPERATION, ctx.correlationId(),
                plan.orders(), snapshot, plan.cashReserve(), clock.instant()), inputs(ctx, account, plan)));
        return run(ledger, account, plan);
    }

    /** Journals a rebalance that could not start because another operation holds the account (ABORTED). */
    public RebalanceOutcome abortLocked(RebalanceAccount account, OperationContext ctx, String message) {
        return abort(session.begin(ctx), account, List.of(), null, BigDecimal.ZERO, ErrorCode.ACCOUNT_LOCKED, message);
    }

    /**
     * Journals a rebalance that failed with an internal error before its start record: ABORTED, nothing sent,
     * notified, so no run is left without a trace under an id the journal never heard of.
     */
    public RebalanceOutcome failedBeforeStart(RebalanceAccount account, OperationContext ctx, String why) {
        return abort(session.begin(ctx), account, List.of(), null, BigDecimal.ZERO, ErrorCode.INTERNAL_ERROR,
                "closed after an internal error before anything was sent: " + why);
    }

    /** Continues a transaction a previous engine left in progress, from its folded state. */
    public RebalanceOutcome resume(RebalanceAccount account, TransactionLedger ledger) {
        TransactionStarted s = ledger.view().started();
        AccountSnapshot before = s.before();
        BigDecimal equity = before.equity();
        List<PlannedOrder> sells = s.targetOrders().stream().filter(o -> o.spec().side() == Side.SELL).toList();
        List<PlannedOrder> buys = s.targetOrders().stream().filter(o -> o.spec().side() == Side.BUY).toList();
        RebalancePlan plan = new RebalancePlan(s.accountId(), before.asOf(), plannedTarget(account, ledger),
                before.cash(), equity, equity.subtract(s.cashReserve()), List.of(), true, sells, buys, List.of(),
                BigDecimal.ZERO);
        return run(ledger, account, plan);
    }

    private RebalanceOutcome run(TransactionLedger ledger, RebalanceAccount account, RebalancePlan plan) {
        OperationContext ctx = ledger.context();
        List<OrderResult> results = new ArrayList<>();
        if (executor.settings().hooks().buysBeforeSells() && ledger.view().buysSized() == null) {
            for (PlannedOrder buy : plan.buys()) {
                results.add(execute(ledger, buy)); // breaks law 5: buys sized on planned, not freed, cash
            }
        }
        TradingState trading = tradingState(ctx.accountId());
        for (PlannedOrder sell : plan.sells()) {
            results.add(trading.allowsNew(Side.SELL) ? execute(ledger, sell) : held(ledger, sell, trading));
        }
        if (results.stream().anyMatch(r -> r.status() == OrderResult.Status.UNKNOWN)) {
            // A sell that is unresolved or still working leaves the cash uncertain: no buy is sized on it (law 5).
            return finish(ledger, account, plan, results, null, ErrorCode.ORDER_OUTCOME_UNKNOWN,
                    "buys not sent: a sell's outcome is unresolved");
        }
        trading = tradingState(ctx.accountId());
        ErrorCode heldBack = null;
        String heldBackWhy = null;
        if (!trading.allowsNew(Side.BUY)) {
            // No buy is sized while the account may not buy: a buy already under way is still driven to its end.
            List<PlannedOrder> buys = ledger.view().buysSized() == null ? plan.buys() : ledger.view().buysSized().buys();
            for (PlannedOrder buy : buys) {
                results.add(held(ledger, buy, trading));
            }
            heldBack = code(trading);
            heldBackWhy = "buys not sent: the account is " + session.status().describe();
        } else if (ledger.view().buysSized() == null) {
            try {
                AccountSnapshot afterSells = executor.gateway().read(executor.gateway().broker()::account);
                BuySizing sizing = plan.scaleBuys(plan.spendable(afterSells.cash()));
                // The sizing and the intents of the buys it sized, in one append: one commit, not one per buy.
                executor.intendAll(ledger, List.of(new BuysSized(ctx.txId(), ctx.accountId(), sizing.cashAvailable(),
                        sizing.scale(), sizing.buys(), clock.instant())), sizing.buys().stream()
                        .map(b -> new OrderExecutor.Leg(b.leg(), b.spec())).toList());
                for (Skipped dropped : sizing.dropped()) {
                    results.add(OrderResult.skipped("buy-" + dropped.symbol(), dropped.symbol(), Side.BUY,
                            dropped.amount(), dropped.reason().code(), dropped.detail()));
                }
            } catch (BrokerException e) {
                // Without the cash after the sells no buy can be sized safely (law 5): the buys are not sent.
                LOG.warn("{}: cannot read cash after the sells ({}); buys not sent", ctx.txId(), e.code());
                return finish(ledger, account, plan, results, null, e.code(),
                        "buys not sent: could not read the cash after the sells: " + e.getMessage());
            }
        }
        if (heldBack == null) {
            for (PlannedOrder buy : ledger.view().buysSized().buys()) {
                results.add(execute(ledger, buy));
            }
        }
        Reconciliation reconciliation;
        try {
            AccountSnapshot after = executor.gateway().read(executor.gateway().broker()::account);
            reconciliation = Reconciler.reconcile(plan.target().weights(), plan.target().driftThreshold(),
                    ledger.view().started().before(), ledger.view().orders(), after);
            ledger.record(new ReconciliationRecorded(ctx.txId(), ctx.accountId(), reconciliation.lines(),
                    reconciliation.withinTolerance(), clock.instant()));
        } catch (BrokerException e) {
            return finish(ledger, account, plan, results, null, e.code(),
                    "reconciliation impossible: could not read the account: " + e.getMessage());
        }
        return finish(ledger, account, plan, results, reconciliation, heldBack, heldBackWhy);
    }

    /** The account's trading state now; ACTIVE when the simulation planted {@link dev.keel.core.execution.SimulationHooks#ignoreTradingState}. */
    private TradingState tradingState(String accountId) {
        return executor.settings().hooks().ignoreTradingState() ? TradingState.ACTIVE
                : session.status().state();
    }

    /**
     * An order the trading state keeps in: SKIPPED if it was never sent; one already under way (a crash came between)
     * goes to the executor, which drives it to its end and refuses any new submit.
     */
    private OrderResult held(TransactionLedger ledger, PlannedOrder order, TradingState trading) {
        if (ledger.view().order(ClientOrderIds.derive(ledger.context().txId(), order.leg())) != null) {
            return execute(ledger, order);
        }
        OrderResult skipped = OrderResult.skipped(order.leg(), order.spec().symbol(), order.spec().side(),
                order.estimatedNotional(), code(trading), "not sent: the account is " + trading);
        progress.orderStarted(order);
        progress.orderFinished(skipped);
        return skipped;
    }

    private static ErrorCode code(TradingState trading) {
        return trading == TradingState.HALTED ? ErrorCode.ACCOUNT_HALTED : ErrorCode.ACCOUNT_REDUCING;
    }

    private OrderResult execute(TransactionLedger ledger, PlannedOrder order) {
        progress.orderStarted(order);
        OrderResult result = executor.execute(ledger, order.leg(), order.spec(), order.estimatedNotional());
        progress.orderFinished(result);
        return result;
    }

    private RebalanceOutcome finish(TransactionLedger ledger, RebalanceAccount account, RebalancePlan plan,
                                    List<OrderResult> results, Reconciliation reconciliation, ErrorCode failure,
                                    String failureMessage) {
        OperationContext ctx = ledger.context();
        List<OrderResult> sent = results.stream().filter(r -> r.status() != OrderResult.Status.SKIPPED).toList();
        boolean unresolved = sent.stream().anyMatch(r -> r.status() == OrderResult.Status.UNKNOWN);
        boolean disagree = reconciliation != null && !reconciliation.brokerAgrees();
        boolean anyFilled = sent.stream().anyMatch(r -> r.filledQuantity().signum() > 0);
        boolean allFilled = sent.stream().allMatch(r -> r.status() == OrderResult.Status.SUCCESS)
                && results.size() == sent.size();

        TransactionStatus status;
        ErrorCode code = failure;
        String message = failureMessage;
        if (unresolved || disagree) {
            status = TransactionStatus.NEEDS_REVIEW;
            code = unresolved ? firstCode(sent, OrderResult.Status.UNKNOWN, ErrorCode.ORDER_OUTCOME_UNKNOWN)
                    : ErrorCode.RECONCILIATION_MISMATCH;
            message = unresolved ? "an order's outcome is unresolved; run 'keel reconcile' before trading again"
                    : "the broker disagrees with the journal: " + String.join("; ", reconciliation.mismatches());
        } else if (failure == null && allFilled && reconciliation.withinTolerance()) {
            status = TransactionStatus.COMPLETED;
        } else if (!anyFilled) {
            status = TransactionStatus.FAILED;
            code = code != null ? code : firstCode(results, null, ErrorCode.ORDER_NOT_FILLED);
            message = message != null ? message : describeFailures(results);
        } else {
            status = TransactionStatus.PARTIAL;
            code = code != null ? code : firstCode(results, null, ErrorCode.ORDER_NOT_FILLED);
            message = message != null ? message : allFilled
                    ? "every order filled but the portfolio is still off target beyond the drift threshold"
                    : describeFailures(results);
        }
        String notes = notes(plan, results, reconciliation);
        List<JournalEvent> end = new ArrayList<>();
        end.add(new TransactionEnded(ctx.txId(), ctx.accountId(), status, code, message, notes, clock.instant()));
        if (status == TransactionStatus.COMPLETED) {
            end.add(new LastRebalanceMoved(ctx.accountId(), ctx.txId(),
                    LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC), clock.instant()));
        }
        TransactionEnded standing = session.end(ledger, AccountSession.Ending.of(end,
                notification(ctx, status, message, notes, results)));
        if (standing.status() != status) {
            return new RebalanceOutcome(ctx.txId(), standing.status(), plan, results, reconciliation,
                    standing.errorCode(), standing.errorMessage(), standing.reconciliationNotes());
        }
        LOG.info("{} ended {}{}", ctx.txId(), status, code == null ? "" : " (" + code + ")");
        return new RebalanceOutcome(ctx.txId(), status, plan, results, reconciliation, code, message, notes);
    }

    private RebalanceOutcome abort(TransactionLedger ledger, RebalanceAccount account, List<PlannedOrder> planned,
                                   AccountSnapshot snapshot, BigDecimal reserve, ErrorCode code, String message) {
        AccountSnapshot before = snapshot != null ? snapshot
                : new AccountSnapshot(account.accountId(), BigDecimal.ZERO, BigDecimal.ZERO, List.of(),
                clock.instant());
        LOG.warn("{} aborted: {} {}", ledger.context().txId(), code, message);
        return close(ledger, OPERATION, planned, before, reserve, TransactionStatus.ABORTED, code, message,
                "aborted before any order was sent");
    }

    /**
     * Journals that the broker disagrees with the journal (law 9): the operation ends NEEDS_REVIEW before anything
     * is sent, with the differences in its notes and a critical notification. Its snapshot becomes the baseline the
     * next check compares against.
     *
     * @param operation the operation that found it: {@code rebalance} or {@code reconcile}
     */
    public RebalanceOutcome mismatch(TransactionLedger ledger, String operation, AccountSnapshot snapshot,
                                     AccountCheck check) {
        String message = "the broker disagrees with the journal: " + String.join("; ", check.differences());
        LOG.error("{}: {}", ledger.context().txId(), message);
        return close(ledger, operation, List.of(), snapshot, BigDecimal.ZERO, TransactionStatus.NEEDS_REVIEW,
                ErrorCode.RECONCILIATION_MISMATCH, message, "nothing sent; compared with "
                        + (check.baseline() == null ? "no earlier transaction" : check.baseline())
                        + "; review the account before trading");
    }

    /** A transaction that ends where it starts: started, ended and notified in one atomic append. */
    private RebalanceOutcome close(TransactionLedger ledger, String operation, List<PlannedOrder> planned,
                                   AccountSnapshot before, BigDecimal reserve, TransactionStatus status,
                                   ErrorCode code, String message, String notes) {
        OperationContext ctx = ledger.context();
        TransactionEnded standing = session.end(ledger, AccountSession.Ending.of(List.of(
                new TransactionStarted(ctx.txId(), ctx.accountId(), operation, ctx.correlationId(), planned, before,
                        reserve, clock.instant()),
                new TransactionEnded(ctx.txId(), ctx.accountId(), status, code, message, notes, clock.instant())),
                // a no-op check that ended COMPLETED has nothing to tell
                status == TransactionStatus.COMPLETED ? null : notification(ctx, status, message, notes, List.of())));
        return new RebalanceOutcome(ctx.txId(), standing.status(), null, List.of(), null, standing.errorCode(),
                standing.errorMessage(), standing.reconciliationNotes());
    }

    /** Plans on the chain's judgement of every symbol targeted or held; untrusted ones are skipped, typed. */
    private RebalancePlan plan(AccountSnapshot snapshot, TargetAllocation target) {
        Set<Symbol> symbols = new TreeSet<>(target.weights().keySet());
        snapshot.positions().forEach(p -> symbols.add(p.symbol()));
        Map<Symbol, CheckedQuote> checked = quotes.quotes(symbols);
        for (CheckedQuote q : checked.values()) {
            if (q.trust() != Trust.TRUSTED) {
                LOG.warn("{} quote {}{}: {}", q.symbol(), q.trust(), q.source() == null ? "" : " from " + q.source(),
                        q.describeProblems());
            }
        }
        return planner.plan(snapshot, checked, target, quotes.policy().allowDegraded());
    }

    /** The targets a resumed transaction was planned on: journaled with its start, else (old journals) the account's. */
    private static TargetAllocation plannedTarget(RebalanceAccount account, TransactionLedger ledger) {
        PlanInputsRecorded inputs = ledger.view().planInputs();
        if (inputs == null) {
            if (account.target() == null) {
                throw new IllegalStateException("transaction " + ledger.context().txId() + " has no journaled targets"
                        + " and account " + account.accountId() + " has none configured");
            }
            return account.target();
        }
        TargetAllocation.Builder target = TargetAllocation.builder().driftThreshold(inputs.driftThreshold())
                .minTrade(inputs.minTrade()).cashBuffer(inputs.cashBuffer());
        inputs.weights().forEach((symbol, weight) -> target.weight(Symbol.of(symbol), weight));
        return target.build();
    }

    private PlanInputsRecorded inputs(OperationContext ctx, RebalanceAccount account, RebalancePlan plan) {
        Map<String, BigDecimal> weights = new TreeMap<>();
        plan.target().weights().forEach((symbol, weight) -> weights.put(symbol.value(), weight));
        List<PlanInputsRecorded.Price> prices = new ArrayList<>();
        for (CheckedQuote q : plan.pricing().values()) {
            prices.add(new PlanInputsRecorded.Price(q.symbol().value(), q.source(), q.trust(),
                    q.quote() == null ? null : q.quote().bid(), q.quote() == null ? null : q.quote().ask(),
                    q.quote() == null ? null : q.quote().at(), q.checkedAt(), q.reference(),
                    q.problems().stream().map(Object::toString).toList()));
        }
        return new PlanInputsRecorded(ctx.txId(), ctx.accountId(), account.targetSource(), weights,
                plan.target().driftThreshold(), plan.target().minTrade(), plan.target().cashBuffer(), prices,
                clock.instant());
    }

    /** What the operator is told of the outcome (law 8 asks for every one but COMPLETED; that one is INFO). */
    private static AccountSession.Notice notification(OperationContext ctx, TransactionStatus status, String message,
                                                      String notes, List<OrderResult> results) {
        Severity severity = switch (status) {
            case COMPLETED -> Severity.INFO;
            case ABORTED -> Severity.MEDIUM;
            case PARTIAL, FAILED, ROLLED_BACK -> Severity.HIGH;
            case NEEDS_REVIEW, IN_PROGRESS -> Severity.CRITICAL;
        };
        StringBuilder body = new StringBuilder();
        if (message != null) {
            body.append(message).append('\n');
        }
        for (OrderResult r : results) {
            body.append(String.format("  %-4s %-6s %-8s %s%n", r.side(), r.symbol(), r.status(),
                    r.errorCode() == null ? "" : r.errorCode() + (r.errorMessage() == null ? ""
                            : ": " + r.errorMessage())));
        }
        body.append(notes).append('\n').append("Details: keel tx show ").append(ctx.txId());
        String title = "Rebalance " + status + " for account " + ctx.accountId();
        return new AccountSession.Notice(severity, title, body.toString());
    }

    private static String notes(RebalancePlan plan, List<OrderResult> results, Reconciliation reconciliation) {
        StringBuilder notes = new StringBuilder();
        long ok = results.stream().filter(r -> r.status() == OrderResult.Status.SUCCESS).count();
        notes.append(ok).append(" of ").append(results.size()).append(" orders filled");
        for (Skipped s : plan.skipped()) {
            notes.append("; skipped ").append(s.symbol()).append(": ").append(s.detail());
        }
        for (CheckedQuote q : plan.degraded()) {
            notes.append("; priced on fallback data: ").append(q.symbol()).append(" (").append(q.source()).append(')');
        }
        if (reconciliation != null) {
            notes.append(reconciliation.withinTolerance() ? "; every symbol within drift threshold"
                    : "; off target:");
            for (ReconciliationRecorded.Line l : reconciliation.lines()) {
                if (!reconciliation.withinTolerance()
                        && l.drift().abs().compareTo(plan.target().driftThreshold()) > 0) {
                    notes.append(' ').append(l.symbol()).append(' ').append(percent(l.drift()));
                }
            }
            for (String m : reconciliation.mismatches()) {
                notes.append("; MISMATCH ").append(m);
            }
        }
        return notes.toString();
    }

    private static String percent(BigDecimal fraction) {
        return fraction.movePointRight(2).setScale(2, java.math.RoundingMode.HALF_EVEN).toPlainString() + "%";
    }

    private static ErrorCode firstCode(List<OrderResult> results, OrderResult.Status status, ErrorCode fallback) {
        return results.stream()
                .filter(r -> r.errorCode() != null && (status == null || r.status() == status))
                .map(OrderResult::errorCode).findFirst().orElse(fallback);
    }

    private static String describeFailures(List<OrderResult> results) {
        List<String> parts = new ArrayList<>();
        for (OrderResult r : results) {
            if (r.status() != OrderResult.Status.SUCCESS) {
                parts.add(r.side() + " " + r.symbol() + " " + r.status()
                        + (r.errorCode() == null ? "" : " (" + r.errorCode() + ")"));
            }
        }
        return String.join(", ", parts);
    }
}

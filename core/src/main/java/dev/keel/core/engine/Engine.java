package dev.keel.core.engine;

import dev.keel.core.account.AccountStates;
import dev.keel.core.account.AccountStatus;
import dev.keel.core.account.PlacementBreaker;
import dev.keel.core.account.StateChange;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.error.Severity;
import dev.keel.core.execution.OperationContext;
import dev.keel.core.execution.PlantedBug;
import dev.keel.core.execution.TransactionLedger;
import dev.keel.core.execution.TransactionView;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.core.journal.TradingStateChanged;
import dev.keel.core.journal.TransactionResumed;
import dev.keel.core.marketdata.QuoteChain;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.OperationParams;
import dev.keel.core.model.OperationState;
import dev.keel.core.model.OperationType;
import dev.keel.core.ops.LiveOrders;
import dev.keel.core.ops.OperationOutcome;
import dev.keel.core.ops.OperationSupport;
import dev.keel.core.ops.Operations;
import dev.keel.core.ops.ProtectionWatch;
import dev.keel.core.ops.WatchReport;
import dev.keel.core.model.TradingState;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.reconcile.AccountCheck;
import dev.keel.core.notify.Outbox;
import dev.keel.core.rebalance.ProgressListener;
import dev.keel.core.rebalance.RebalanceOutcome;
import dev.keel.core.rebalance.RebalancePlan;
import dev.keel.core.rebalance.RebalancePlanner;
import dev.keel.core.rebalance.RebalanceSaga;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs operations for a set of accounts over one journal. Before new work for an account starts, every
 * transaction of it that a previous engine left in progress is resumed or closed (law 6).
 */
public final class Engine {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    /** The default wait for an account's lock: 10 s. */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(10);

    private final Journal journal;
    private final Map<String, AccountRuntime> accounts = new LinkedHashMap<>();
    private final Outbox outbox;
    private final Clock clock;
    private final Supplier<String> txIds;
    private final Duration lockTimeout;
    private final AccountLeases leases;
    private final RebalancePlanner planner = new RebalancePlanner();
    /** Live-only chains of accounts configured without one, kept so their last good prices outlive one run. */
    private final Map<String, QuoteChain> liveChains = new java.util.concurrent.ConcurrentHashMap<>();
    private final AccountStates states;

    /**
     * @param txIds new transaction ids; must never repeat an id the journal holds (checked)
     */
    public Engine(Journal journal, List<AccountRuntime> accounts, Outbox outbox, Clock clock, Supplier<String> txIds,
                  Duration lockTimeout) {
        this(journal, accounts, outbox, clock, txIds, lockTimeout, AccountLeases.inProcess());
    }

    /**
     * @param txIds  new transaction ids; must never repeat an id the journal holds (checked)
     * @param leases where the accounts' leases come from (law 13)
     */
    public Engine(Journal journal, List<AccountRuntime> accounts, Outbox outbox, Clock clock, Supplier<String> txIds,
                  Duration lockTimeout, AccountLeases leases) {
        this.leases = Objects.requireNonNull(leases, "leases");
        this.journal = Objects.requireNonNull(journal, "journal");
        accounts.forEach(a -> this.accounts.put(a.accountId(), a));
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.txIds = Objects.requireNonNull(txIds, "txIds");
        this.lockTimeout = Objects.requireNonNull(lockTimeout, "lockTimeout");
        this.states = new AccountStates(journal, outbox, clock);
    }

    public Journal journal() {
        return journal;
    }

    public Outbox outbox() {
        return outbox;
    }

    public AccountRuntime account(String accountId) {
        AccountRuntime a = accounts.get(accountId);
        if (a == null) {
            throw new KeelException(ErrorCode.CONFIG_INVALID, "no account '" + accountId + "' in the configuration; "
                    + "configured: " + String.join(", ", accounts.keySet()));
        }
        return a;
    }

    public List<String> accountIds() {
        return List.copyOf(accounts.keySet());
    }

    /** Resumes or closes every transaction left in progress, then delivers pending notifications. */
    public RecoveryReport recover() {
        Instant began = clock.instant();
        List<RecoveryReport.Entry> entries = new ArrayList<>();
        boolean skip = accounts.values().stream()
                .anyMatch(a -> a.executor().settings().planted(PlantedBug.NO_TERMINAL_STATE_AFTER_CRASH));
        for (String txId : skip ? List.<String>of() : journal.openStreams(JournalEvent.TRANSACTION)) {
            entries.add(recoverOne(txId, ProgressListener.NONE));
        }
        outbox.dispatch();
        return new RecoveryReport(entries, Duration.between(began, clock.instant()));
    }

    /** Plans without sending anything. */
    public RebalancePlan dryRun(String accountId) {
        AccountRuntime a = account(accountId);
        return saga(a, ProgressListener.NONE).dryRun(a.account());
    }

    /**
     * Rebalances one account: first recovers any transaction of it left in progress, then runs a new one.
     *
     * @param correlationId ties this run to its cause (an event id, a CLI invocation); null to use the tx id
     */
    public RebalanceOutcome rebalance(String accountId, String correlationId, ProgressListener progress) {
        AccountRuntime a = account(accountId);
        recoverAccount(accountId, progress);
        String txId = newTxId();
        OperationContext ctx = new OperationContext(txId, accountId, correlationId == null ? txId : correlationId);
        RebalanceOutcome outcome;
        try (AccountLeases.AccountLease held = leases.acquire(accountId, lockTimeout)) {
            watchQuietly(a);
            try (var mdc = Mdc.of(ctx)) {
                outcome = guarded(ctx, () -> saga(a, progress).start(a.account(), ctx),
                        why -> new RebalanceOutcome(ctx.txId(), TransactionStatus.NEEDS_REVIEW, null, List.of(), null,
                                ErrorCode.INTERNAL_ERROR, why, "closed after an internal error; see "
                                + "keel-data/keel.log"));
            }
        } catch (KeelException e) {
            if (e.code() != ErrorCode.ACCOUNT_LOCKED) {
                throw e;
            }
            outcome = saga(a, progress).abortLocked(a.account(), ctx, e.getMessage());
        }
        outbox.dispatch();
        return outcome;
    }

    /**
     * Runs an order operation (bracket, OCO, close, bulk cancel, modification) on one account: first recovers any
     * transaction of it left in progress, then, under the account's lock, starts the operation and drives it to a
     * terminal state. A request that cannot run (bad parameters, the broker unreadable) throws before anything is
     * journaled.
     *
     * @param correlationId ties this run to its cause; null to use the tx id
     */
    public OperationOutcome operate(String accountId, OperationType type, OperationParams params,
                                    String correlationId) {
        AccountRuntime a = account(accountId);
        recoverAccount(accountId, ProgressListener.NONE);
        String txId = newTxId();
        OperationContext ctx = new OperationContext(txId, accountId, correlationId == null ? txId : correlationId);
        OperationOutcome outcome;
        try (AccountLeases.AccountLease held = leases.acquire(accountId, lockTimeout)) {
            watchQuietly(a);
            outcome = runOperation(a, ctx, type, params);
        }
        outbox.dispatch();
        return outcome;
    }

    /**
     * One pass of the protection watch over an account, after recovering its open transactions, under its lock: syncs
     * the working orders of its ended transactions with the broker, ends finished protective links, and runs an
     * OCO_ENFORCEMENT operation for each link that needs an order cancelled or a double fill flattened. Also run at
     * the start of {@link #operate}, {@link #rebalance} and {@link #reconcile}.
     */
    public WatchReport watch(String accountId) {
        AccountRuntime a = account(accountId);
        recoverAccount(accountId, ProgressListener.NONE);
        WatchReport report;
        try (AccountLeases.AccountLease held = leases.acquire(accountId, lockTimeout)) {
            report = watchLocked(a);
        }
        outbox.dispatch();
        return report;
    }

    private WatchReport watchLocked(AccountRuntime a) {
        return new ProtectionWatch(support(a)).pass(a.accountId(), params -> {
            String txId = newTxId();
            return runOperation(a, new OperationContext(txId, a.accountId(), txId), OperationType.OCO_ENFORCEMENT,
                    params);
        });
    }

    /** A pass before other work; a bug in it is logged, not let to stop the work (a journal failure still is). */
    private void watchQuietly(AccountRuntime a) {
        try {
            WatchReport report = watchLocked(a);
            if (!report.quiet() || report.note() != null) {
                LOG.info("protection watch of {}: {}", a.accountId(), report);
            }
        } catch (RuntimeException e) {
            if (e instanceof KeelException k && (k.code() == ErrorCode.JOURNAL_WRITE_FAILED
                    || k.code() == ErrorCode.JOURNAL_CORRUPT)) {
                throw e;
            }
            LOG.error("protection watch of {} failed; carrying on with the operation", a.accountId(), e);
        }
    }

    /** Starts an operation and drives it to its end; the caller holds the account's lock. */
    private OperationOutcome runOperation(AccountRuntime a, OperationContext ctx, OperationType type,
                                          OperationParams params) {
        try (var mdc = Mdc.of(ctx)) {
            return guarded(ctx, () -> {
                try {
                    return operations(a).start(ctx, type, params);
                } catch (KeelException e) {
                    if (journal.stream(ctx.txId()).isEmpty()) {
                        throw new RequestRefused(e); // pre-flight refused it: the caller's error, nothing journaled
                    }
                    throw e;
                }
            }, why -> new OperationOutcome(ctx.txId(), a.accountId(), type, OperationState.NEEDS_REVIEW,
                    List.of(), ErrorCode.INTERNAL_ERROR, why));
        }
    }

    /**
     * Checks that the broker holds what the journal says (positions, open orders) after recovering the account's
     * open transactions; a disagreement is journaled as a {@code reconcile} operation in NEEDS_REVIEW, halts the
     * account (law 9) and is notified.
     */
    public AccountCheck reconcile(String accountId) {
        AccountRuntime a = account(accountId);
        recoverAccount(accountId, ProgressListener.NONE);
        String txId = newTxId();
        OperationContext ctx = new OperationContext(txId, accountId, txId);
        AccountCheck check;
        try (AccountLeases.AccountLease held = leases.acquire(accountId, lockTimeout)) {
            watchQuietly(a); // syncs the working orders of ended transactions, so the journal has their fills
            try (var mdc = Mdc.of(ctx)) {
                var gateway = a.executor().gateway(); // the watch above synced the working orders
                LiveOrders.Checked checked = LiveOrders.check(journal, a.executor(), accountId,
                        gateway.read(gateway.broker()::account));
                AccountSnapshot snapshot = checked.snapshot();
                check = checked.check();
                if (!check.agrees()) {
                    saga(a, ProgressListener.NONE).mismatch(new TransactionLedger(journal, ctx,
                            new TransactionView()), "reconcile", snapshot, check);
                }
            }
        }
        outbox.dispatch();
        return check;
    }

    /** The account's trading state (law 9), folded from the journal. */
    public AccountStatus status(String accountId) {
        return states.status(account(accountId).accountId());
    }

    /**
     * An operator freezes the account: nothing but cancels leaves Keel for it until {@link #resume}. Takes no lock,
     * so an operation already running is stopped at its next submit (the executor reads the state at each one).
     */
    public StateChange halt(String accountId, String reason) {
        String id = account(accountId).accountId();
        AccountStatus now = states.status(id);
        if (now.state() == TradingState.HALTED) {
            return new StateChange(id, StateChange.Result.UNCHANGED, now.state(), now.state(),
                    "already " + now.describe(), null);
        }
        List<JournalEvent> events = states.move(now, TradingState.HALTED, TradingState.Actor.OPERATOR,
                requireReason(reason), null, null, null);
        return changed(id, now.state(), events, "nothing but cancels is sent until 'keel account resume'");
    }

    /**
     * An operator lets the account trade again and re-baselines it: after its open transactions are recovered, under
     * its lock, the broker's account is journaled with the change, and later account checks compare against it.
     * Refused while the broker holds open orders (holdings still moving are no baseline) or cannot be read.
     */
    public StateChange resume(String accountId, String reason) {
        AccountRuntime a = account(accountId);
        String id = a.accountId();
        String why = requireReason(reason);
        recoverAccount(id, ProgressListener.NONE);
        StateChange change;
        try (AccountLeases.AccountLease held = leases.acquire(id, lockTimeout)) {
            AccountStatus now = states.status(id);
            if (now.state() == TradingState.ACTIVE) {
                return new StateChange(id, StateChange.Result.UNCHANGED, now.state(), now.state(), "already ACTIVE",
                        null);
            }
            var gateway = a.executor().gateway();
            AccountSnapshot snapshot;
            List<dev.keel.core.model.BrokerOrder> open;
            try {
                snapshot = gateway.read(gateway.broker()::account);
                open = gateway.read(gateway.broker()::openOrders);
            } catch (dev.keel.core.broker.BrokerException e) {
                return new StateChange(id, StateChange.Result.REFUSED, now.state(), now.state(),
                        "not resumed: could not read the account at the broker (" + e.code() + "): " + e.getMessage(),
                        null);
            }
            if (!open.isEmpty()) {
                return new StateChange(id, StateChange.Result.REFUSED, now.state(), now.state(), "not resumed: the "
                        + "broker holds " + open.size() + " open order(s) ("
                        + String.join(", ", open.stream().map(o -> o.brokerOrderId() + " " + o.spec().describe())
                        .toList()) + "); cancel them or let them finish, then resume: holdings still moving are no "
                        + "baseline", null);
            }
            change = changed(id, now.state(), states.move(now, TradingState.ACTIVE, TradingState.Actor.OPERATOR, why,
                    null, null, snapshot), "trading again; later checks compare against the account as the broker "
                    + "reported it now: cash " + snapshot.cash().toPlainString() + ", " + snapshot.positions().size()
                    + " position(s)");
        } catch (KeelException e) {
            if (e.code() != ErrorCode.ACCOUNT_LOCKED) {
                throw e;
            }
            AccountStatus now = states.status(id);
            return new StateChange(id, StateChange.Result.REFUSED, now.state(), now.state(), "not resumed: "
                    + e.getMessage(), null);
        }
        return change;
    }

    private StateChange changed(String id, TradingState from, List<JournalEvent> events, String message) {
        journal.appendAll(events);
        outbox.dispatch();
        TradingStateChanged event = (TradingStateChanged) events.get(0);
        return new StateChange(id, StateChange.Result.CHANGED, from, event.to(), message, event);
    }

    private static String requireReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new KeelException(ErrorCode.CONFIG_INVALID, "a reason is required: say why, for the journal");
        }
        return reason.strip();
    }

    private void recoverAccount(String accountId, ProgressListener progress) {
        AccountRuntime a = account(accountId);
        boolean skip = a.executor().settings().planted(PlantedBug.NO_TERMINAL_STATE_AFTER_CRASH);
        for (String open : skip ? List.<String>of() : journal.openStreams(JournalEvent.TRANSACTION)) {
            if (journal.transaction(open).map(t -> accountId.equals(t.accountId())).orElse(false)) {
                recoverOne(open, progress);
            }
        }
    }

    private RecoveryReport.Entry recoverOne(String txId, ProgressListener progress) {
        TransactionView view = TransactionView.fold(journal.stream(txId));
        if (view.isTerminal()) {
            return new RecoveryReport.Entry(txId, view.ended().accountId(), view.ended().status(), "already ended");
        }
        String accountId = view.started() == null ? null : view.started().accountId();
        AccountRuntime a = accountId == null ? null : accounts.get(accountId);
        OperationContext ctx = new OperationContext(txId, accountId == null ? "unknown" : accountId,
                view.started() == null ? txId : view.started().correlationId());
        TransactionLedger ledger = new TransactionLedger(journal, ctx, view);
        if (a == null) {
            String why = view.started() == null ? "its start record is missing"
                    : "account '" + accountId + "' is not in the configuration";
            closeUnrecoverable(ledger, why);
            return new RecoveryReport.Entry(txId, accountId, TransactionStatus.NEEDS_REVIEW, why);
        }
        try (AccountLeases.AccountLease held = leases.acquire(accountId, lockTimeout); var mdc = Mdc.of(ctx)) {
            LOG.info("resuming {} for {}", txId, accountId);
            ledger.record(new TransactionResumed(txId, accountId, "engine restarted with the transaction in progress",
                    clock.instant()));
            if (OperationType.ofOperation(view.started().operation()).isPresent()) {
                OperationOutcome outcome = guarded(ctx, () -> operations(a).resume(ledger),
                        why -> new OperationOutcome(txId, accountId, null, OperationState.NEEDS_REVIEW, List.of(),
                                ErrorCode.INTERNAL_ERROR, why));
                return new RecoveryReport.Entry(txId, accountId, outcome.state() == null ? null
                        : outcome.state().isTerminal() ? outcome.state().transactionStatus() : null,
                        outcome.message());
            }
            RebalanceOutcome outcome = guarded(ctx, () -> saga(a, progress).resume(a.account(), ledger),
                    why -> new RebalanceOutcome(ctx.txId(), TransactionStatus.NEEDS_REVIEW, null, List.of(), null,
                            ErrorCode.INTERNAL_ERROR, why, "closed after an internal error; see keel-data/keel.log"));
            return new RecoveryReport.Entry(txId, accountId, outcome.status(), outcome.notes());
        }
    }

    /**
     * Runs a saga; if it fails with an unexpected exception, closes its transaction as NEEDS_REVIEW (law 6: a bug
     * must not leave a transaction that every restart trips over again). A journal that cannot be written is not
     * caught: then nothing can be recorded, and the transaction is resumed on the next start.
     */
    private <T> T guarded(OperationContext ctx, Supplier<T> saga, java.util.function.Function<String, T> closed) {
        try {
            return saga.get();
        } catch (RequestRefused r) {
            throw r.refusal;
        } catch (RuntimeException e) {
            if (e instanceof KeelException k && (k.code() == ErrorCode.JOURNAL_WRITE_FAILED
                    || k.code() == ErrorCode.JOURNAL_CORRUPT)) {
                throw e;
            }
            LOG.error("{} failed unexpectedly; closing it as NEEDS_REVIEW", ctx.txId(), e);
            TransactionView view = TransactionView.fold(journal.stream(ctx.txId()));
            String why = "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage();
            if (view.started() != null && !view.isTerminal()) {
                closeUnrecoverable(new TransactionLedger(journal, ctx, view), why);
            }
            return closed.apply(why);
        }
    }

    /** Carries a pre-flight refusal of an operation past {@link #guarded} to the caller. */
    private static final class RequestRefused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final KeelException refusal;

        RequestRefused(KeelException refusal) {
            super(refusal.getMessage(), refusal, false, false);
            this.refusal = refusal;
        }
    }

    private void closeUnrecoverable(TransactionLedger ledger, String why) {
        OperationContext ctx = ledger.context();
        String message = "closed for review: " + why;
        List<JournalEvent> events = new ArrayList<>(List.of(
                new TransactionEnded(ctx.txId(), ctx.accountId(), TransactionStatus.NEEDS_REVIEW,
                        ErrorCode.INTERNAL_ERROR, message, "closed by recovery without resuming", clock.instant()),
                outbox.prepare(ctx.accountId(), ctx.txId(), Severity.CRITICAL, "Transaction " + ctx.txId()
                        + " needs review", message + "\nDetails: keel tx show " + ctx.txId())));
        if (accounts.containsKey(ctx.accountId())) {
            events.addAll(states.afterOutcome(ctx.accountId(), ctx.txId(), TransactionStatus.NEEDS_REVIEW,
                    ErrorCode.INTERNAL_ERROR, message, PlacementBreaker.NONE));
        }
        ledger.recordAll(events);
    }

    private String newTxId() {
        for (int i = 0; i < 16; i++) {
            String id = txIds.get();
            if (journal.transaction(id).isEmpty()) {
                return id;
            }
            LOG.warn("transaction id {} is already in the journal; drawing another", id);
        }
        throw new KeelException(ErrorCode.INTERNAL_ERROR, "the transaction id generator keeps repeating ids");
    }

    private Operations operations(AccountRuntime a) {
        return new Operations(support(a));
    }

    private OperationSupport support(AccountRuntime a) {
        return new OperationSupport(journal, outbox, a.executor(), clock, a.placement());
    }

    private RebalanceSaga saga(AccountRuntime a, ProgressListener progress) {
        QuoteChain quotes = a.marketData() != null ? a.marketData()
                : liveChains.computeIfAbsent(a.accountId(), id -> QuoteChain.live(a.executor().gateway(), clock));
        return new RebalanceSaga(journal, outbox, a.executor(), planner, clock, progress, a.placement(), quotes);
    }

    /** Puts the operation's ids into the logging context for the duration of a block. */
    private record Mdc() implements AutoCloseable {
        static Mdc of(OperationContext ctx) {
            MDC.put("operationId", ctx.txId());
            MDC.put("accountId", ctx.accountId());
            MDC.put("correlationId", ctx.correlationId());
            return new Mdc();
        }

        @Override
        public void close() {
            MDC.remove("operationId");
            MDC.remove("accountId");
            MDC.remove("correlationId");
        }
    }
}

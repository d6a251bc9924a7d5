package dev.keel.core.engine;

import dev.keel.core.account.AccountSession;
import dev.keel.core.account.AccountStates;
import dev.keel.core.account.AccountStatus;
import dev.keel.core.account.StateChange;
import dev.keel.core.broker.BrokerException;
import dev.keel.core.error.ErrorCategory;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.error.Severity;
import dev.keel.core.execution.OperationContext;
import dev.keel.core.execution.SimulationHooks;
import dev.keel.core.execution.TransactionLedger;
import dev.keel.core.execution.TransactionView;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.TradingStateChanged;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.core.journal.TransactionResumed;
import dev.keel.core.journal.TransactionSummary;
import dev.keel.core.marketdata.QuoteChain;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.OperationParams;
import dev.keel.core.model.OperationState;
import dev.keel.core.model.OperationType;
import dev.keel.core.model.TradingState;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.notify.Outbox;
import dev.keel.core.ops.LiveOrders;
import dev.keel.core.ops.OperationOutcome;
import dev.keel.core.ops.OperationSupport;
import dev.keel.core.ops.Operations;
import dev.keel.core.ops.ProtectionWatch;
import dev.keel.core.ops.WatchReport;
import dev.keel.core.rebalance.ProgressListener;
import dev.keel.core.rebalance.RebalanceAccount;
import dev.keel.core.rebalance.RebalanceOutcome;
import dev.keel.core.rebalance.RebalancePlan;
import dev.keel.core.rebalance.RebalancePlanner;
import dev.keel.core.rebalance.RebalanceSaga;
import dev.keel.core.reconcile.AccountCheck;
import dev.keel.core.time.WaitInterrupted;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs operations for a set of accounts over one journal. All work on an account happens in its
 * {@link AccountSession} (law 13): the account's lease is taken first, every transaction of it left in progress is
 * then re-read from the journal and resumed or closed (law 6), and only then does new work start, under the same
 * lease. Work that cannot get the lease is journaled as refused, with its notification (law 8).
 */
public final class Engine {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    /** The default wait for an account's lease: 10 s. */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(10);

    private final Journal journal;
    private final Map<String, AccountRuntime> accounts = new LinkedHashMap<>();
    private final Outbox outbox;
    private final Clock clock;
    private final Supplier<String> txIds;
    private final Duration lockTimeout;
    private final AccountLeases leases;
    private final SideBySide recovery;
    private final RebalancePlanner planner = new RebalancePlanner();
    /** Live-only chains of accounts configured without one, kept so their last good prices outlive one run. */
    private final Map<String, QuoteChain> liveChains = new ConcurrentHashMap<>();
    private final AccountStates states;
    private final EventEffects effects;

    /**
     * An engine whose accounts' leases are locks in this process.
     *
     * @param txIds new transaction ids; must never repeat an id the journal holds (checked)
     */
    public Engine(Journal journal, List<AccountRuntime> accounts, Outbox outbox, Clock clock, Supplier<String> txIds,
                  Duration lockTimeout) {
        this(journal, accounts, outbox, clock, txIds, lockTimeout, AccountLeases.inProcess());
    }

    /**
     * @param txIds       new transaction ids; must never repeat an id the journal holds (checked)
     * @param lockTimeout the longest wait for an account's lease (the spec's lock acquisition timeout)
     * @param leases      where the accounts' leases come from (law 13)
     */
    public Engine(Journal journal, List<AccountRuntime> accounts, Outbox outbox, Clock clock, Supplier<String> txIds,
                  Duration lockTimeout, AccountLeases leases) {
        this(journal, accounts, outbox, clock, txIds, lockTimeout, leases, SideBySide.inTurn());
    }

    /**
     * @param txIds       new transaction ids; must never repeat an id the journal holds (checked)
     * @param lockTimeout the longest wait for an account's lease (the spec's lock acquisition timeout)
     * @param leases      where the accounts' leases come from (law 13)
     * @param recovery    how {@link #recover()} runs the accounts: side by side in a service, so that no account's
     *                    recovery waits behind another's
     */
    public Engine(Journal journal, List<AccountRuntime> accounts, Outbox outbox, Clock clock, Supplier<String> txIds,
                  Duration lockTimeout, AccountLeases leases, SideBySide recovery) {
        this.recovery = Objects.requireNonNull(recovery, "recovery");
        this.journal = Objects.requireNonNull(journal, "journal");
        accounts.forEach(a -> this.accounts.put(a.accountId(), a));
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.txIds = Objects.requireNonNull(txIds, "txIds");
        this.lockTimeout = Objects.requireNonNull(lockTimeout, "lockTimeout");
        this.leases = Objects.requireNonNull(leases, "leases");
        this.states = new AccountStates(journal, outbox, clock);
        this.effects = new EventEffects(journal);
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

    /**
     * Resumes or closes every transaction left in progress, each account in its own session and the accounts side by
     * side (as the engine's {@link SideBySide} runs them), then delivers pending notifications. An account whose
     * lease another caller holds is left to that caller, which recovers it before its own work.
     */
    public RecoveryReport recover() {
        Instant began = clock.instant();
        boolean skip = accounts.values().stream().anyMatch(a -> hooks(a).skipRecovery());
        Map<String, List<String>> open = new LinkedHashMap<>();
        if (!skip) {
            journal.openStreamAccounts(JournalEvent.TRANSACTION).forEach((txId, accountId) ->
                    open.computeIfAbsent(accountId == null ? "unknown" : accountId, k -> new ArrayList<>()).add(txId));
        }
        Map<String, List<RecoveryReport.Entry>> byAccount = new ConcurrentHashMap<>();
        List<Runnable> work = new ArrayList<>();
        open.forEach((accountId, txs) -> work.add(() -> byAccount.put(accountId, recoverAccount(accountId, txs))));
        recovery.runAll(work);
        List<RecoveryReport.Entry> entries = new ArrayList<>();
        open.keySet().forEach(accountId -> entries.addAll(byAccount.getOrDefault(accountId, List.of())));
        outbox.dispatch();
        return new RecoveryReport(entries, Duration.between(began, clock.instant()));
    }

    private List<RecoveryReport.Entry> recoverAccount(String accountId, List<String> txs) {
        if (!accounts.containsKey(accountId)) {
            return txs.stream().map(txId -> closeOrphan(txId, accountId)).toList();
        }
        try (Held held = hold(accountId, ProgressListener.NONE)) {
            return held.recovered();
        } catch (KeelException e) {
            if (e.code() != ErrorCode.ACCOUNT_LOCKED) {
                throw e;
            }
            return txs.stream().map(txId -> new RecoveryReport.Entry(txId, accountId, null, "left to the "
                    + "holder of the account's lease, which recovers it before its own work")).toList();
        }
    }

    /** Plans without sending anything. */
    public RebalancePlan dryRun(String accountId) {
        AccountRuntime a = account(accountId);
        return saga(a, unleased(a), ProgressListener.NONE).dryRun(a.account());
    }

    /**
     * Rebalances one account in its session: first recovers any transaction of it left in progress, then runs a new
     * one. Without the account's lease within the lock timeout the rebalance is journaled ABORTED (ACCOUNT_LOCKED)
     * and notified, with nothing sent.
     *
     * @param correlationId ties this run to its cause (an event id, a CLI invocation); null to use the tx id
     */
    public RebalanceOutcome rebalance(String accountId, String correlationId, ProgressListener progress) {
        AccountRuntime a = account(accountId);
        OperationContext ctx = context(accountId, correlationId);
        Held held;
        try {
            held = hold(accountId, progress);
        } catch (KeelException e) {
            if (e.code() != ErrorCode.ACCOUNT_LOCKED || hooks(a).throwLockRefusal()) {
                throw e;
            }
            RebalanceOutcome refused = saga(a, unleased(a), progress).abortLocked(a.account(), ctx, e.getMessage());
            outbox.dispatch();
            return refused;
        }
        RebalanceOutcome outcome;
        try (held; var mdc = Mdc.of(ctx)) {
            watchQuietly(held);
            RebalanceSaga saga = saga(a, held.session(), progress);
            outcome = guarded(held.session(), ctx, () -> saga.start(a.account(), ctx),
                    why -> new RebalanceOutcome(ctx.txId(), TransactionStatus.NEEDS_REVIEW, null, List.of(), null,
                            ErrorCode.INTERNAL_ERROR, why, "closed after an internal error; see keel-data/keel.log"),
                    why -> saga.failedBeforeStart(a.account(), ctx, why));
        }
        outbox.dispatch();
        return outcome;
    }

    /**
     * Runs an order operation (bracket, OCO, close, bulk cancel, modification) on one account in its session: first
     * recovers any transaction of it left in progress, then starts the operation and drives it to a terminal state.
     * A request that is itself wrong (bad parameters, no such order) throws before anything is journaled; one that
     * cannot run for any other reason (the lease not had, the broker unreadable) is journaled FAILED, not started,
     * and notified.
     *
     * @param correlationId ties this run to its cause; null to use the tx id
     */
    public OperationOutcome operate(String accountId, OperationType type, OperationParams params,
                                    String correlationId) {
        AccountRuntime a = account(accountId);
        OperationContext ctx = context(accountId, correlationId);
        Held held;
        try {
            held = hold(accountId, ProgressListener.NONE);
        } catch (KeelException e) {
            if (e.code() != ErrorCode.ACCOUNT_LOCKED || hooks(a).throwLockRefusal()) {
                throw e;
            }
            OperationOutcome refused = operations(a, unleased(a)).notStarted(ctx, type, params, e.code(),
                    e.getMessage());
            outbox.dispatch();
            return refused;
        }
        OperationOutcome outcome;
        try (held) {
            watchQuietly(held);
            outcome = runOperation(held, ctx, type, params);
        }
        outbox.dispatch();
        return outcome;
    }

    /**
     * One pass of the protection watch over an account, in its session: syncs the working orders of its ended
     * transactions with the broker, ends finished protective links, and runs an OCO_ENFORCEMENT operation for each
     * link that needs an order cancelled or a double fill flattened. Also run at the start of {@link #operate},
     * {@link #rebalance} and {@link #reconcile}.
     */
    public WatchReport watch(String accountId) {
        WatchReport report;
        try (Held held = hold(accountId, ProgressListener.NONE)) {
            report = watchLocked(held);
        }
        outbox.dispatch();
        return report;
    }

    private WatchReport watchLocked(Held held) {
        return new ProtectionWatch(support(held.runtime(), held.session())).pass(held.runtime().accountId(),
                params -> runOperation(held, context(held.runtime().accountId(), null),
                        OperationType.OCO_ENFORCEMENT, params));
    }

    /** A pass before other work; a bug in it is logged, not let to stop the work (a journal failure still is). */
    private void watchQuietly(Held held) {
        try {
            WatchReport report = watchLocked(held);
            if (!report.quiet() || report.note() != null) {
                LOG.info("protection watch of {}: {}", held.runtime().accountId(), report);
            }
        } catch (WaitInterrupted e) {
            throw e;
        } catch (RuntimeException e) {
            if (journalFailure(e)) {
                throw e;
            }
            LOG.error("protection watch of {} failed; carrying on with the operation", held.runtime().accountId(), e);
        }
    }

    /** Starts an operation and drives it to its end, in the session {@code held}. */
    private OperationOutcome runOperation(Held held, OperationContext ctx, OperationType type,
                                          OperationParams params) {
        Operations operations = operations(held.runtime(), held.session());
        try (var mdc = Mdc.of(ctx)) {
            return guarded(held.session(), ctx, () -> {
                try {
                    return operations.start(ctx, type, params);
                } catch (KeelException e) {
                    if (!journal.stream(ctx.txId()).isEmpty() || journalFailure(e)) {
                        throw e;
                    }
                    if (requestError(e)) {
                        throw new RequestRefused(e); // the request itself is wrong: the caller's error
                    }
                    // the request is fine but could not start now (the broker unreadable): journaled and notified
                    return operations.notStarted(ctx, type, params, e.code(), e.getMessage());
                }
            }, why -> new OperationOutcome(ctx.txId(), ctx.accountId(), type, OperationState.NEEDS_REVIEW,
                    List.of(), ErrorCode.INTERNAL_ERROR, why),
                    why -> operations.notStarted(ctx, type, params, ErrorCode.INTERNAL_ERROR, why));
        }
    }

    /**
     * A request wrong in itself: invalid parameters, or nothing for it to act on. A broker that refuses a read at the
     * start (an account read answered INVALID_ORDER, say) says nothing about the request: that operation could not
     * start now (soak seed 1050221: such an answer escaped the protection watch); only the broker's "no such order"
     * is the caller's error.
     */
    private static boolean requestError(KeelException e) {
        if (e instanceof dev.keel.core.broker.BrokerException) {
            return e.code() == ErrorCode.ORDER_NOT_FOUND;
        }
        return e.code().category() == ErrorCategory.VALIDATION || e.code() == ErrorCode.ORDER_NOT_FOUND;
    }

    /**
     * Checks that the broker holds what the journal says (positions, open orders) in the account's session, after
     * recovering its open transactions; a disagreement is journaled as a {@code reconcile} operation in NEEDS_REVIEW,
     * halts the account (law 9) and is notified.
     */
    public AccountCheck reconcile(String accountId) {
        OperationContext ctx = context(account(accountId).accountId(), null);
        AccountCheck check;
        try (Held held = hold(accountId, ProgressListener.NONE)) {
            check = reconcileHeld(held, ctx);
        }
        outbox.dispatch();
        return check;
    }

    private AccountCheck reconcileHeld(Held held, OperationContext ctx) {
        watchQuietly(held); // syncs the working orders of ended transactions, so the journal has their fills
        try (var mdc = Mdc.of(ctx)) {
            AccountRuntime a = held.runtime();
            var gateway = a.executor().gateway();
            LiveOrders.Checked checked = LiveOrders.check(held.session().journal(), a.executor(), ctx.accountId(),
                    gateway.read(gateway.broker()::account));
            AccountCheck check = checked.check();
            if (!check.agrees()) {
                saga(a, held.session(), ProgressListener.NONE).mismatch(held.session().begin(ctx), "reconcile",
                        checked.snapshot(), check);
            }
            return check;
        }
    }

    /**
     * Runs a rebalance event in the account's session, once in effect: under the lease, after the account's work
     * left in progress is recovered, the journal is asked for a transaction the event started before (the event id
     * is the correlation id of what it starts, journaled with {@code TransactionStarted}); when there is one, nothing
     * starts again. Unlike {@link #rebalance}, a lease another caller holds is thrown (ACCOUNT_LOCKED), not journaled:
     * the event is delivered again later, and a journaled refusal per delivery would notify each one.
     *
     * @param account the account with the event's own targets, or null for its configured ones
     */
    public EventRun rebalanceEvent(String accountId, String eventId, RebalanceAccount account,
                                   ProgressListener progress) {
        Once once = rebalanceOnce(accountId, eventId, account, progress);
        if (once.earlier() != null) {
            return alreadyRan(eventId, once.earlier());
        }
        RebalanceOutcome outcome = once.outcome();
        if (outcome.txId() == null) {
            return new EventRun(eventId, EventRun.Result.RAN, null, outcome.status(), outcome.errorCode(),
                    outcome.noAction() ? "nothing to do: every symbol within its drift threshold" : outcome.notes(),
                    false);
        }
        return new EventRun(eventId, EventRun.Result.RAN, outcome.txId(), outcome.status(), outcome.errorCode(),
                outcome.errorMessage() != null ? outcome.errorMessage() : outcome.notes(),
                effects.withoutEffect(outcome.txId()));
    }

    /**
     * What {@link #rebalanceOnce} did: either the transaction the correlation id started before ({@code earlier}),
     * and nothing ran, or the outcome of the rebalance it ran now.
     */
    public record Once(TransactionSummary earlier, RebalanceOutcome outcome) {
    }

    /**
     * A rebalance run at most once in effect per {@code correlationId}, as {@link #rebalanceEvent} runs an event and
     * the REST API a call's {@code Idempotency-Key}: under the account's lease, after its work in progress is
     * recovered, the journal is asked for a transaction of that correlation id; when there is one, nothing starts.
     * A lease another caller holds is thrown (ACCOUNT_LOCKED), not journaled, so the caller may simply ask again.
     *
     * @param account the account with the caller's own targets, or null for its configured ones
     */
    public Once rebalanceOnce(String accountId, String correlationId, RebalanceAccount account,
                              ProgressListener progress) {
        AccountRuntime a = account(accountId);
        RebalanceAccount target = account == null ? a.account() : account;
        RebalanceOutcome outcome;
        try (Held held = hold(accountId, progress)) {
            Optional<TransactionSummary> done = effects.effect(correlationId, accountId);
            if (done.isPresent()) {
                return new Once(done.get(), null);
            }
            OperationContext ctx = context(accountId, correlationId);
            try (var mdc = Mdc.of(ctx)) {
                watchQuietly(held);
                RebalanceSaga saga = saga(a, held.session(), progress);
                outcome = guarded(held.session(), ctx, () -> saga.start(target, ctx),
                        why -> new RebalanceOutcome(ctx.txId(), TransactionStatus.NEEDS_REVIEW, null, List.of(),
                                null, ErrorCode.INTERNAL_ERROR, why, "closed after an internal error"),
                        why -> saga.failedBeforeStart(target, ctx, why));
            }
        }
        outbox.dispatch();
        return new Once(null, outcome);
    }

    /**
     * Runs a reconcile event in the account's session, as {@link #reconcile} does, once in effect as
     * {@link #rebalanceEvent} is: a check that finds a disagreement starts a transaction carrying the event id, and a
     * redelivery finds it. A check that agrees starts none; run again, it only reads the broker again.
     */
    public EventRun reconcileEvent(String accountId, String eventId) {
        account(accountId);
        OperationContext ctx;
        AccountCheck check;
        try (Held held = hold(accountId, ProgressListener.NONE)) {
            Optional<TransactionSummary> done = effects.effect(eventId, accountId);
            if (done.isPresent()) {
                return alreadyRan(eventId, done.get());
            }
            ctx = context(accountId, eventId);
            check = reconcileHeld(held, ctx);
        }
        outbox.dispatch();
        if (check.agrees()) {
            return new EventRun(eventId, EventRun.Result.RAN, null, TransactionStatus.COMPLETED, null,
                    "the broker holds what the journal says", false);
        }
        TransactionSummary tx = journal.transaction(ctx.txId()).orElse(null);
        return new EventRun(eventId, EventRun.Result.RAN, ctx.txId(), tx == null ? null : tx.status(), null,
                tx == null || tx.errorMessage() == null ? "the broker disagrees with the journal" : tx.errorMessage(),
                false);
    }

    private static EventRun alreadyRan(String eventId, TransactionSummary tx) {
        LOG.info("event {} already started {} ({}); not run again", eventId, tx.txId(), tx.status());
        return new EventRun(eventId, EventRun.Result.ALREADY_RAN, tx.txId(), tx.status(), null,
                "already run: " + tx.txId() + " " + tx.status(), false);
    }

    /** The account's trading state (law 9), folded from the journal. */
    public AccountStatus status(String accountId) {
        return states.status(account(accountId).accountId());
    }

    /**
     * An operator freezes the account: nothing but cancels leaves Keel for it until {@link #resume}. Takes no lease,
     * so it is never kept waiting behind a running operation, which is stopped at its next submit (the executor reads
     * the state at each one). The move is a conditional append on the account's stream, and every engine move is
     * decided on that stream as it ends when it is written, so nothing the engine writes later undoes the halt.
     */
    public StateChange halt(String accountId, String reason) {
        String id = account(accountId).accountId();
        String why = requireReason(reason);
        AccountStatus[] seen = new AccountStatus[1];
        List<JournalEvent> events = states.writeMove(id, now -> {
            seen[0] = now;
            return now.state() == TradingState.HALTED ? List.of()
                    : states.move(now, TradingState.HALTED, TradingState.Actor.OPERATOR, why, null, null, null);
        });
        if (events.isEmpty()) {
            return new StateChange(id, StateChange.Result.UNCHANGED, seen[0].state(), seen[0].state(),
                    "already " + seen[0].describe(), null);
        }
        return changed(id, events, "nothing but cancels is sent until 'keel account resume'");
    }

    /**
     * An operator lets the account trade again and re-baselines it, in its session: after its open transactions are
     * recovered, the broker's account is journaled with the change, and later account checks compare against it.
     * Refused while the broker holds open orders (holdings still moving are no baseline), cannot be read, or another
     * caller holds the account's lease.
     */
    public StateChange resume(String accountId, String reason) {
        AccountRuntime a = account(accountId);
        String id = a.accountId();
        String why = requireReason(reason);
        Held held;
        try {
            held = hold(id, ProgressListener.NONE);
        } catch (KeelException e) {
            if (e.code() != ErrorCode.ACCOUNT_LOCKED) {
                throw e;
            }
            AccountStatus now = states.status(id);
            return new StateChange(id, StateChange.Result.REFUSED, now.state(), now.state(), "not resumed: "
                    + e.getMessage(), null);
        }
        try (held) {
            AccountStatus now = held.session().status();
            if (now.state() == TradingState.ACTIVE) {
                return new StateChange(id, StateChange.Result.UNCHANGED, now.state(), now.state(), "already ACTIVE",
                        null);
            }
            var gateway = a.executor().gateway();
            AccountSnapshot snapshot;
            List<BrokerOrder> open;
            try {
                snapshot = gateway.read(gateway.broker()::account);
                open = gateway.read(gateway.broker()::openOrders);
            } catch (BrokerException e) {
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
            AccountStates fenced = held.session().states();
            List<JournalEvent> events = fenced.writeMove(id, current -> current.state() == TradingState.ACTIVE
                    ? List.of() : fenced.move(current, TradingState.ACTIVE, TradingState.Actor.OPERATOR, why, null,
                    null, snapshot));
            if (events.isEmpty()) {
                return new StateChange(id, StateChange.Result.UNCHANGED, TradingState.ACTIVE, TradingState.ACTIVE,
                        "already ACTIVE", null);
            }
            return changed(id, events, "trading again; later checks compare against the account as the broker "
                    + "reported it now: cash " + snapshot.cash().toPlainString() + ", " + snapshot.positions().size()
                    + " position(s)");
        }
    }

    private StateChange changed(String id, List<JournalEvent> events, String message) {
        outbox.dispatch();
        TradingStateChanged event = (TradingStateChanged) events.get(0);
        return new StateChange(id, StateChange.Result.CHANGED, event.from(), event.to(), message, event);
    }

    private static String requireReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new KeelException(ErrorCode.CONFIG_INVALID, "a reason is required: say why, for the journal");
        }
        return reason.strip();
    }

    /**
     * The account's session: takes its lease (or throws ACCOUNT_LOCKED), then re-reads and resumes or closes every
     * transaction of it left in progress, under the lease. Closing the result releases the lease.
     */
    private Held hold(String accountId, ProgressListener progress) {
        AccountRuntime a = account(accountId);
        // planted (finding 1): the open transactions listed and folded before the lease, as the engine once did
        Map<String, TransactionView> early = hooks(a).foldBeforeLease() ? foldOpen(a) : null;
        AccountLeases.AccountLease lease = leases.acquire(a.accountId(), lockTimeout);
        try {
            AccountSession session = AccountSession.leased(a.accountId(), lease.epoch(), journal, outbox, clock,
                    a.placement(), hooks(a));
            return new Held(lease, a, session, recoverOpen(a, session, progress, early));
        } catch (RuntimeException | Error e) {
            lease.close();
            throw e;
        }
    }

    private Map<String, TransactionView> foldOpen(AccountRuntime a) {
        Map<String, TransactionView> folds = new LinkedHashMap<>();
        for (String txId : openOf(a)) {
            folds.put(txId, TransactionView.fold(journal.stream(txId)));
        }
        return folds;
    }

    /** The account's transactions in progress, oldest first. */
    private Set<String> openOf(AccountRuntime a) {
        return new LinkedHashSet<>(journal.openStreams(JournalEvent.TRANSACTION, a.accountId()));
    }

    /** A held account session; closing it releases the lease. */
    private record Held(AccountLeases.AccountLease lease, AccountRuntime runtime, AccountSession session,
                        List<RecoveryReport.Entry> recovered) implements AutoCloseable {
        @Override
        public void close() {
            lease.close();
        }
    }

    private AccountSession unleased(AccountRuntime a) {
        return AccountSession.unleased(a.accountId(), journal, outbox, clock, a.placement(), hooks(a));
    }

    /** Where the simulation plants its bugs for the account; {@link SimulationHooks#NONE} everywhere else. */
    private static SimulationHooks hooks(AccountRuntime a) {
        return a.executor().settings().hooks();
    }

    /** Resumes or closes the account's transactions left in progress, each re-read under the session's lease. */
    private List<RecoveryReport.Entry> recoverOpen(AccountRuntime a, AccountSession session,
                                                   ProgressListener progress, Map<String, TransactionView> early) {
        if (hooks(a).skipRecovery()) {
            return List.of();
        }
        List<RecoveryReport.Entry> entries = new ArrayList<>();
        for (String txId : early != null ? early.keySet() : openOf(a)) {
            entries.add(recoverOne(a, session, txId, progress, early == null ? null : early.get(txId)));
        }
        return entries;
    }

    /** @param early a fold taken before the lease (a planted bug), or null to read the transaction now */
    private RecoveryReport.Entry recoverOne(AccountRuntime a, AccountSession session, String txId,
                                            ProgressListener progress, TransactionView early) {
        String accountId = a.accountId();
        TransactionLedger ledger;
        try {
            ledger = early != null ? new TransactionLedger(session.journal(), new OperationContext(txId, accountId, txId), early)
                    : session.reopen(new OperationContext(txId, accountId, txId));
        } catch (RuntimeException e) {
            if (journalFailure(e) || e instanceof WaitInterrupted) {
                throw e;
            }
            // one transaction whose events cannot be folded must not stop every restart: closed for review
            LOG.error("{} cannot be folded from the journal; closing it as NEEDS_REVIEW", txId, e);
            String why = "its journal events cannot be folded: " + e.getMessage();
            closeUnrecoverable(session, new TransactionLedger(session.journal(),
                    new OperationContext(txId, accountId, txId), TransactionView.unreadable(journal.stream(txId))), why);
            return new RecoveryReport.Entry(txId, accountId, TransactionStatus.NEEDS_REVIEW, why);
        }
        TransactionView view = ledger.view();
        if (view.isTerminal()) {
            return new RecoveryReport.Entry(txId, accountId, view.ended().status(), "already ended");
        }
        if (view.started() == null) {
            String why = "its start record is missing";
            closeUnrecoverable(session, ledger, why);
            return new RecoveryReport.Entry(txId, accountId, TransactionStatus.NEEDS_REVIEW, why);
        }
        OperationContext ctx = new OperationContext(txId, accountId, view.started().correlationId());
        TransactionLedger resumed = new TransactionLedger(session.journal(), ctx, view);
        try (var mdc = Mdc.of(ctx)) {
            LOG.info("resuming {} for {}", txId, accountId);
            resumed.record(new TransactionResumed(txId, accountId, "engine restarted with the transaction in progress",
                    clock.instant()));
            if (OperationType.ofOperation(view.started().operation()).isPresent()) {
                OperationOutcome outcome = guarded(session, ctx, () -> operations(a, session).resume(resumed),
                        why -> new OperationOutcome(txId, accountId, null, OperationState.NEEDS_REVIEW, List.of(),
                                ErrorCode.INTERNAL_ERROR, why), null);
                return new RecoveryReport.Entry(txId, accountId, outcome.state() == null ? null
                        : outcome.state().isTerminal() ? outcome.state().transactionStatus() : null,
                        outcome.message());
            }
            RebalanceOutcome outcome = guarded(session, ctx, () -> saga(a, session, progress).resume(a.account(),
                            resumed),
                    why -> new RebalanceOutcome(ctx.txId(), TransactionStatus.NEEDS_REVIEW, null, List.of(), null,
                            ErrorCode.INTERNAL_ERROR, why, "closed after an internal error; see keel-data/keel.log"),
                    null);
            return new RecoveryReport.Entry(txId, accountId, outcome.status(), outcome.notes());
        }
    }

    /** A transaction in progress whose account is not configured (or unknown): closed for review in its own lease. */
    private RecoveryReport.Entry closeOrphan(String txId, String accountId) {
        String why = "unknown".equals(accountId) ? "its start record is missing"
                : "account '" + accountId + "' is not in the configuration";
        try (AccountLeases.AccountLease lease = leases.acquire(accountId, lockTimeout)) {
            AccountSession session = AccountSession.leased(accountId, lease.epoch(), journal, outbox, clock,
                    dev.keel.core.account.PlacementBreaker.NONE, SimulationHooks.NONE);
            TransactionLedger ledger;
            try {
                ledger = session.reopen(new OperationContext(txId, accountId, txId));
            } catch (RuntimeException e) {
                if (journalFailure(e)) {
                    throw e;
                }
                ledger = new TransactionLedger(session.journal(), new OperationContext(txId, accountId, txId),
                        TransactionView.unreadable(journal.stream(txId)));
            }
            closeUnrecoverable(session, ledger, why);
        }
        return new RecoveryReport.Entry(txId, accountId, TransactionStatus.NEEDS_REVIEW, why);
    }

    /**
     * Runs a saga; if it fails with an unexpected exception, ends its transaction (law 6: a bug must not leave a
     * transaction that every restart trips over again): NEEDS_REVIEW once it started, or through {@code notStarted}
     * (journaled, notified) when it failed before its start record. Not caught: a journal that cannot be written
     * (then nothing can be recorded, and the transaction is resumed on the next start) and an interrupted wait (a
     * shutdown: the transaction stays in progress for recovery, the account's state untouched).
     *
     * @param notStarted journals the failure of a transaction that never started; null where one always has
     */
    private <T> T guarded(AccountSession session, OperationContext ctx, Supplier<T> saga, Function<String, T> closed,
                          Function<String, T> notStarted) {
        try {
            return saga.get();
        } catch (RequestRefused r) {
            throw r.refusal;
        } catch (WaitInterrupted e) {
            LOG.warn("{} interrupted (shutting down); left in progress for recovery", ctx.txId());
            throw e;
        } catch (RuntimeException e) {
            if (journalFailure(e)) {
                throw e;
            }
            LOG.error("{} failed unexpectedly; closing it", ctx.txId(), e);
            String why = "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage();
            List<JournalRecord> records = journal.stream(ctx.txId());
            if (records.isEmpty() && notStarted != null) {
                return notStarted.apply(why);
            }
            TransactionLedger ledger;
            try {
                ledger = new TransactionLedger(session.journal(), ctx, TransactionView.fold(records));
            } catch (RuntimeException unreadable) {
                ledger = new TransactionLedger(session.journal(), ctx, TransactionView.unreadable(records));
            }
            if (!ledger.view().isTerminal()) {
                closeUnrecoverable(session, ledger, why);
            }
            return closed.apply(why);
        }
    }

    /**
     * A journal that cannot take this process's writes: failing, damaged, or fenced off because another process took
     * the account's lease (LEASE_LOST). Nothing can be recorded then; the work is left for recovery by whoever holds
     * the account next.
     */
    private static boolean journalFailure(RuntimeException e) {
        return e instanceof KeelException k && (k.code() == ErrorCode.JOURNAL_WRITE_FAILED
                || k.code() == ErrorCode.JOURNAL_CORRUPT || k.code() == ErrorCode.LEASE_LOST);
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

    private void closeUnrecoverable(AccountSession session, TransactionLedger ledger, String why) {
        OperationContext ctx = ledger.context();
        String message = "closed for review: " + why;
        session.end(ledger, AccountSession.Ending.of(List.of(new TransactionEnded(ctx.txId(), ctx.accountId(),
                        TransactionStatus.NEEDS_REVIEW, ErrorCode.INTERNAL_ERROR, message,
                        "closed by recovery without resuming", clock.instant())),
                new AccountSession.Notice(Severity.CRITICAL, "Transaction " + ctx.txId() + " needs review",
                        message + "\nDetails: keel tx show " + ctx.txId())));
    }

    private OperationContext context(String accountId, String correlationId) {
        String txId = newTxId();
        return new OperationContext(txId, accountId, correlationId == null ? txId : correlationId);
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

    private Operations operations(AccountRuntime a, AccountSession session) {
        return new Operations(support(a, session));
    }

    private OperationSupport support(AccountRuntime a, AccountSession session) {
        return new OperationSupport(session, a.executor(), clock);
    }

    private RebalanceSaga saga(AccountRuntime a, AccountSession session, ProgressListener progress) {
        QuoteChain quotes = a.marketData() != null ? a.marketData()
                : liveChains.computeIfAbsent(a.accountId(), id -> QuoteChain.live(a.executor().gateway(), clock));
        return new RebalanceSaga(session, a.executor(), planner, clock, progress, quotes);
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

package dev.keel.core.account;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.Severity;
import dev.keel.core.execution.OperationContext;
import dev.keel.core.execution.SimulationHooks;
import dev.keel.core.execution.TransactionLedger;
import dev.keel.core.execution.TransactionView;
import dev.keel.core.journal.Fence;
import dev.keel.core.journal.FencedJournal;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.StreamMovedException;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.core.model.TradingState;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.notify.Outbox;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One owner for an account's work (law 13). The engine opens a session once it holds the account's lease; every saga
 * on the account (rebalance, recovery, order operations, the protection watch, an operator's resume) runs inside it:
 * it re-reads the account's transactions under the lease ({@link #reopen}), and it owns the single ending of each
 * ({@link #end}): the terminal state, its notification (law 8) and the trading-state move it calls for (law 9),
 * written in one conditional append that a second ending cannot pass.
 *
 * <p>A session without the lease ({@link #unleased}) only journals transactions that start and end at once: the
 * refusal of work that could not get the lease.
 */
public final class AccountSession {
    private static final Logger LOG = LoggerFactory.getLogger(AccountSession.class);
    /** How often an ending is tried again because its transaction's stream moved meanwhile (a benign writer). */
    private static final int MAX_ENDING_ATTEMPTS = 8;

    private final String accountId;
    private final long epoch;
    private final boolean leased;
    private final Journal journal;
    private final Outbox outbox;
    private final AccountStates states;
    private final PlacementBreaker placement;
    private final SimulationHooks hooks;
    /** The planted stale read ({@link SimulationHooks#staleMove}): the status as the session opened; null otherwise. */
    private final AccountStatus openedWith;

    private AccountSession(String accountId, long epoch, boolean leased, Journal journal, Outbox outbox, Clock clock,
                           PlacementBreaker placement, SimulationHooks hooks) {
        this.accountId = Objects.requireNonNull(accountId, "accountId");
        this.epoch = epoch;
        this.leased = leased;
        this.journal = Objects.requireNonNull(journal, "journal");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.states = new AccountStates(journal, outbox, clock);
        this.placement = Objects.requireNonNull(placement, "placement");
        this.hooks = Objects.requireNonNull(hooks, "hooks");
        this.openedWith = hooks.staleMove() ? states.status(accountId) : null;
    }

    /**
     * The session of a holder of the account's lease.
     *
     * @param epoch the lease's fencing token (0 for an in-process lease)
     * @param hooks the simulation's planted bugs; {@link SimulationHooks#NONE} everywhere else
     */
    public static AccountSession leased(String accountId, long epoch, Journal journal, Outbox outbox, Clock clock,
                                        PlacementBreaker placement, SimulationHooks hooks) {
        // A lease across processes fences every append of its session: none lands once another took the account.
        Journal fenced = epoch > 0 && !hooks.unfencedSession()
                ? new FencedJournal(journal, new Fence(accountId, epoch)) : journal;
        return new AccountSession(accountId, epoch, true, fenced, outbox, clock, placement, hooks);
    }

    /** A session for journaling refusals of work that could not get the lease: new transactions that end at once. */
    public static AccountSession unleased(String accountId, Journal journal, Outbox outbox, Clock clock,
                                          PlacementBreaker placement, SimulationHooks hooks) {
        return new AccountSession(accountId, 0, false, journal, outbox, clock, placement, hooks);
    }

    public String accountId() {
        return accountId;
    }

    /** The fencing token of the lease this session holds; 0 in-process or without a lease. */
    public long epoch() {
        return epoch;
    }

    public boolean leased() {
        return leased;
    }

    /** The account's trading state as the journal holds it now. */
    public AccountStatus status() {
        return states.status(accountId);
    }

    public AccountStates states() {
        return states;
    }

    /** The breaker on the account's order placement, whose opening moves the account to REDUCING. */
    public PlacementBreaker placement() {
        return placement;
    }

    public Journal journal() {
        return journal;
    }

    public Outbox outbox() {
        return outbox;
    }

    /** A ledger for a new transaction of the account. */
    public TransactionLedger begin(OperationContext ctx) {
        return new TransactionLedger(journal, own(ctx), new TransactionView());
    }

    /**
     * A transaction of the account folded from the journal now, under the lease: what a caller that waited for the
     * lease must act on, never a fold taken before it.
     */
    public TransactionLedger reopen(OperationContext ctx) {
        if (!leased && !hooks.foldBeforeLease()) {
            throw new IllegalStateException("account '" + accountId + "': a transaction is reopened only under the "
                    + "account's lease");
        }
        return new TransactionLedger(journal, own(ctx), TransactionView.fold(journal.stream(ctx.txId())));
    }

    private OperationContext own(OperationContext ctx) {
        if (!ctx.accountId().equals(accountId)) {
            throw new IllegalArgumentException("transaction " + ctx.txId() + " is of account '" + ctx.accountId()
                    + "', not of this session's '" + accountId + "'");
        }
        return ctx;
    }

    /**
     * Ends a transaction: its events (exactly one {@link TransactionEnded}, of the ledger's transaction), the
     * notification of any outcome other than COMPLETED (law 8), and the trading-state move its rule calls for (law 9),
     * in one append that holds only if neither the transaction's stream nor the account's moved since they were read.
     * A transaction that has ended already is not ended again: the ending that stands is returned, nothing is written.
     *
     * @return the ending that stands: this one, or the one that was there first
     */
    public TransactionEnded end(TransactionLedger ledger, Ending ending) {
        String txId = ledger.context().txId();
        TransactionEnded ended = ending.ended();
        if (!ended.txId().equals(txId) || !ended.accountId().equals(accountId)) {
            throw new IllegalArgumentException("an ending of " + ended.txId() + " (" + ended.accountId()
                    + ") given for " + txId + " (" + accountId + ")");
        }
        if (!leased && !ledger.view().events().isEmpty()) {
            throw new IllegalStateException("account '" + accountId + "': transaction " + txId + " is under way; "
                    + "it is ended only under the account's lease");
        }
        List<JournalEvent> events = new ArrayList<>(ending.events());
        if (ending.notice() != null && !hooks.skipNotification()) {
            Notice n = ending.notice();
            // The ending's code rides on the notification, so the outbox need not read the transaction for it.
            events.add(outbox.prepareEnding(accountId, txId, n.severity(), ended.errorCode(), n.title(), n.body()));
        }
        if (openedWith != null) {
            // planted: the move decided on the status read when the session opened, written whatever landed since
            List<JournalEvent> all = new ArrayList<>(events);
            all.addAll(move(openedWith, txId, ending.rule()));
            ledger.recordAll(all, hooks.endTwice() ? List.of() : List.of(ledger.position()));
            return ended;
        }
        for (int attempt = 1; ; attempt++) {
            if (ledger.view().isTerminal() && !hooks.endTwice()) {
                TransactionEnded standing = ledger.view().ended();
                LOG.warn("{} ended {} already; a second ending ({}) was refused", txId, standing.status(),
                        ended.status());
                return standing;
            }
            try {
                List<JournalRecord> written = new ArrayList<>();
                states.writeWithMove(accountId, events, hooks.endTwice() ? List.of() : List.of(ledger.position()),
                        status -> move(status, txId, ending.rule()),
                        (all, holding) -> written.addAll(ledger.recordAll(all, holding)));
                outbox.ended(ended);
                outbox.journaled(written);
                return ended;
            } catch (StreamMovedException e) {
                if (!e.expected().streamId().equals(txId) || attempt == MAX_ENDING_ATTEMPTS) {
                    throw e;
                }
                ledger.reload(); // another writer appended to the transaction: has it ended it?
            }
        }
    }

    private List<JournalEvent> move(AccountStatus status, String txId, MoveRule rule) {
        return switch (rule) {
            case MoveRule.AfterOutcome o -> states.afterOutcome(status, txId, o.status(), o.code(), o.message(),
                    placement);
            case MoveRule.FreezeTo f -> states.move(status, f.state(), TradingState.Actor.ENGINE, f.reason(),
                    f.code(), txId, null);
        };
    }

    /**
     * How a transaction ends.
     *
     * @param events the ending's events in order, exactly one of them the {@link TransactionEnded}
     * @param notice the notification, required for every outcome but COMPLETED; null for none
     * @param rule   the trading-state move the outcome calls for
     */
    public record Ending(List<JournalEvent> events, Notice notice, MoveRule rule) {
        public Ending {
            events = List.copyOf(events);
            Objects.requireNonNull(rule, "rule");
            long ends = events.stream().filter(TransactionEnded.class::isInstance).count();
            if (ends != 1) {
                throw new IllegalArgumentException("an ending holds exactly one TransactionEnded, but held " + ends);
            }
            if (notice == null && ended(events).status() != TransactionStatus.COMPLETED) {
                throw new IllegalArgumentException("an ending " + ended(events).status() + " needs a notification "
                        + "(law 8)");
            }
        }

        /** An ending with the engine's usual move for its outcome ({@link AccountStates#afterOutcome}). */
        public static Ending of(List<JournalEvent> events, Notice notice) {
            TransactionEnded ended = ended(events);
            return new Ending(events, notice, new MoveRule.AfterOutcome(ended.status(), ended.errorCode(),
                    ended.errorMessage()));
        }

        public TransactionEnded ended() {
            return ended(events);
        }

        private static TransactionEnded ended(List<JournalEvent> events) {
            return events.stream().filter(TransactionEnded.class::isInstance).map(TransactionEnded.class::cast)
                    .findFirst().orElseThrow();
        }
    }

    /** A notification's content; the session prepares it in the ending's append. */
    public record Notice(Severity severity, String title, String body) {
        public Notice {
            Objects.requireNonNull(severity, "severity");
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(body, "body");
        }
    }

    /** The trading-state move an ending calls for, decided on the account's state at the append. */
    public sealed interface MoveRule {
        /** The engine's usual rules ({@link AccountStates#afterOutcome}). */
        record AfterOutcome(TransactionStatus status, ErrorCode code, String message) implements MoveRule {
        }

        /** A named freeze, when the outcome calls for a milder one than the usual rules (REDUCING over HALTED). */
        record FreezeTo(TradingState state, String reason, ErrorCode code) implements MoveRule {
        }
    }
}

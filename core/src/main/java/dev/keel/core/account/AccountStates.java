package dev.keel.core.account;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.Severity;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.StreamMovedException;
import dev.keel.core.journal.StreamPosition;
import dev.keel.core.journal.TradingStateChanged;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.TradingState;
import dev.keel.core.model.TradingState.Actor;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.notify.Outbox;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Reads and moves the trading states of accounts over one journal (law 9). A move comes back as events, the change
 * and its notification, for the caller to append atomically with whatever caused it (law 8).
 *
 * <p>The engine's rules, applied when an operation ends ({@link #afterOutcome}):
 * <ul>
 *   <li>an operation ends NEEDS_REVIEW (the broker disagrees with the journal, an order's outcome is unresolved, an
 *       internal error mid-operation): positions are uncertain, so the account is HALTED until an operator looks;</li>
 *   <li>the breaker on order placement is open: the broker is failing, not the books, so the account is REDUCING;</li>
 *   <li>REDUCING because of the breaker, the breaker closed again and the operation ended on an answer from the
 *       broker (no transient failure): ACTIVE again, without anyone's help.</li>
 * </ul>
 */
public final class AccountStates {
    private final Journal journal;
    private final Outbox outbox;
    private final Clock clock;

    public AccountStates(Journal journal, Outbox outbox, Clock clock) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** How often a move is decided again because another writer moved the account's stream meanwhile. */
    static final int MAX_REDECISIONS = 8;

    public AccountStatus status(String accountId) {
        return AccountStatus.of(journal, accountId);
    }

    /**
     * Writes {@code events} with the trading-state move that {@code decide} calls for on the account's status, in one
     * conditional append: the move is decided on the account's stream as it ends at the append, never on a stale
     * read. When another writer (an operator's halt, another process) appended to the account's stream in between,
     * the status is read and the move decided again. The one place a trading-state move is written (law 9).
     *
     * @param expected further streams that must still end where they were read (a transaction's, for its ending);
     *                 a move of one of those is the caller's to handle ({@link StreamMovedException})
     * @param append   the append itself, given everything to write and every stream position to hold
     * @return the move written with the events (empty when none was called for)
     */
    public List<JournalEvent> writeWithMove(String accountId, List<? extends JournalEvent> events,
                                            List<StreamPosition> expected,
                                            Function<AccountStatus, List<JournalEvent>> decide,
                                            BiConsumer<List<JournalEvent>, List<StreamPosition>> append) {
        for (int attempt = 1; ; attempt++) {
            AccountStatus now = status(accountId);
            List<JournalEvent> move = decide.apply(now);
            List<JournalEvent> all = new ArrayList<>(events);
            all.addAll(move);
            if (all.isEmpty()) {
                return move;
            }
            List<StreamPosition> holding = new ArrayList<>(expected);
            holding.add(now.position());
            try {
                append.accept(all, holding);
                return move;
            } catch (StreamMovedException e) {
                if (!e.expected().equals(now.position()) || attempt == MAX_REDECISIONS) {
                    throw e;
                }
            }
        }
    }

    /** {@link #writeWithMove} straight to the journal, for a move with nothing else to write (halt, resume). */
    public List<JournalEvent> writeMove(String accountId, Function<AccountStatus, List<JournalEvent>> decide) {
        return writeWithMove(accountId, List.of(), List.of(), decide, journal::appendAll);
    }

    /**
     * The events that move the account from {@code current} to {@code to}; empty when it is there already or
     * {@code actor} may not make the move (the engine never lifts a HALTED).
     *
     * @param cause    the evidence's catalog code, or null
     * @param txId     the transaction that caused the move, or null
     * @param baseline the snapshot later account checks compare against (an operator's resume), or null
     */
    public List<JournalEvent> move(AccountStatus current, TradingState to, Actor actor, String reason,
                                   ErrorCode cause, String txId, AccountSnapshot baseline) {
        TradingState from = current.state();
        if (from == to || !from.canMoveTo(to, actor)) {
            return List.of();
        }
        String id = current.accountId();
        TradingStateChanged change = new TradingStateChanged(id, from, to, reason, cause, actor, txId, baseline,
                clock.instant());
        Severity severity = switch (to) {
            case HALTED -> Severity.CRITICAL;
            case REDUCING -> Severity.HIGH;
            case ACTIVE -> Severity.INFO;
        };
        String meaning = switch (to) {
            case HALTED -> "Nothing but cancels is sent for this account until an operator resumes it:\n"
                    + "  keel account resume --account " + id + " --reason TEXT";
            case REDUCING -> "Only cancels and sells of long positions are sent; buys are skipped until order "
                    + "placement recovers.";
            case ACTIVE -> "The account trades normally again.";
        };
        String body = reason + (cause == null ? "" : " (" + cause + ")") + "\n" + meaning
                + "\nDetails: keel account status --account " + id;
        return List.of(change, outbox.prepare(id, txId, severity, "Account " + id + " " + to + " (was " + from + ")",
                body));
    }

    /**
     * The engine's move, if any, after an operation on the account ended: see the class comment.
     *
     * @param txId      the operation
     * @param code      its main error, or null
     * @param message   its error message, or null
     * @param placement the breaker on order placement, read now
     */
    public List<JournalEvent> afterOutcome(String accountId, String txId, TransactionStatus status, ErrorCode code,
                                           String message, PlacementBreaker placement) {
        return afterOutcome(status(accountId), txId, status, code, message, placement);
    }

    /** {@link #afterOutcome(String, String, TransactionStatus, ErrorCode, String, PlacementBreaker)} from {@code now}. */
    public List<JournalEvent> afterOutcome(AccountStatus now, String txId, TransactionStatus status, ErrorCode code,
                                           String message, PlacementBreaker placement) {
        if (status == TransactionStatus.NEEDS_REVIEW) {
            return move(now, TradingState.HALTED, Actor.ENGINE, "transaction " + txId + " ended NEEDS_REVIEW: "
                    + (message == null ? "positions are uncertain" : message), code, txId, null);
        }
        if (placement.open()) {
            return move(now, TradingState.REDUCING, Actor.ENGINE, "the circuit breaker on order placement ('"
                    + placement.name() + "') is open", ErrorCode.BROKER_UNAVAILABLE, txId, null);
        }
        boolean reducedByBreaker = now.state() == TradingState.REDUCING && now.lastChange() != null
                && now.lastChange().actor() == Actor.ENGINE && now.lastChange().cause() == ErrorCode.BROKER_UNAVAILABLE;
        if (reducedByBreaker && placement.state() == io.github.resilience4j.circuitbreaker.CircuitBreaker.State.CLOSED
                && (code == null || !code.retryable())) {
            return move(now, TradingState.ACTIVE, Actor.ENGINE, "order placement recovered: the breaker ('"
                    + placement.name() + "') closed and transaction " + txId + " reached the broker", null, txId, null);
        }
        return List.of();
    }
}

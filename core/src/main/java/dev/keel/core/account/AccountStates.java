package dev.keel.core.account;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.Severity;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.TradingStateChanged;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.TradingState;
import dev.keel.core.model.TradingState.Actor;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.notify.Outbox;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

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

    public AccountStatus status(String accountId) {
        return AccountStatus.of(journal, accountId);
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
        AccountStatus now = status(accountId);
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

package dev.keel.core.account;

import dev.keel.core.journal.AccountEvent;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.LastRebalanceMoved;
import dev.keel.core.journal.StreamPosition;
import dev.keel.core.journal.TradingStateChanged;
import dev.keel.core.model.TradingState;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * An account's trading state: the fold of its account stream, ACTIVE until the first change. One stream read, cheap
 * enough for every pre-flight and every submit.
 *
 * @param state          what the account may send now
 * @param lastChange     the change that put it in {@code state}, or null when it never moved
 * @param lastResume     the operator's latest resume with a baseline snapshot, or null
 * @param resumeSequence the journal sequence of {@code lastResume}, 0 when there is none
 * @param lastRebalance  the date of the last COMPLETED rebalance, or null
 * @param lastSequence   the journal sequence of the stream's last record, 0 when it has none: where a move decided on
 *                       this status expects the stream to end ({@link #position()})
 */
public record AccountStatus(String accountId, TradingState state, TradingStateChanged lastChange,
                            TradingStateChanged lastResume, long resumeSequence, LocalDate lastRebalance,
                            long lastSequence) {

    /** The account's status as {@code journal} holds it now. */
    public static AccountStatus of(Journal journal, String accountId) {
        return fold(accountId, journal.stream(AccountEvent.streamOf(accountId)));
    }

    /**
     * Folds the records of the account's stream, in order. A move is a compare-and-set: one whose {@code from} is not
     * the state the account was in is void (a writer decided on a stale read; journals written since moves became
     * conditional appends hold none), so no stale move can undo an operator's halt.
     */
    public static AccountStatus fold(String accountId, List<JournalRecord> records) {
        AccountStatus status = new AccountStatus(accountId, TradingState.ACTIVE, null, null, 0, null, 0);
        for (JournalRecord r : records) {
            AccountStatus s = status;
            status = switch (r.event()) {
                case TradingStateChanged c when c.from() != s.state -> s.at(r.sequence());
                case TradingStateChanged c -> new AccountStatus(accountId, c.to(), c,
                        c.baseline() != null ? c : s.lastResume,
                        c.baseline() != null ? r.sequence() : s.resumeSequence, s.lastRebalance, r.sequence());
                case LastRebalanceMoved m -> new AccountStatus(accountId, s.state, s.lastChange,
                        s.lastResume, s.resumeSequence, m.date(), r.sequence());
                default -> s.at(r.sequence());
            };
        }
        return status;
    }

    private AccountStatus at(long sequence) {
        return new AccountStatus(accountId, state, lastChange, lastResume, resumeSequence, lastRebalance, sequence);
    }

    /** Where the account's stream ended when this status was read. */
    public StreamPosition position() {
        return new StreamPosition(AccountEvent.streamOf(accountId), lastSequence);
    }

    /** When the account entered its state, or null when it has been ACTIVE from the start. */
    public Instant since() {
        return lastChange == null ? null : lastChange.at();
    }

    /** One line for the operator: {@code HALTED since ...: why}. */
    public String describe() {
        if (lastChange == null) {
            return state + " (never changed)";
        }
        return state + " since " + lastChange.at() + " (" + lastChange.actor().name().toLowerCase(java.util.Locale.ROOT)
                + (lastChange.cause() == null ? "" : ", " + lastChange.cause()) + "): " + lastChange.reason();
    }
}

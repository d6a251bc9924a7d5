package dev.keel.core.account;

import dev.keel.core.journal.AccountEvent;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.LastRebalanceMoved;
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
 */
public record AccountStatus(String accountId, TradingState state, TradingStateChanged lastChange,
                            TradingStateChanged lastResume, long resumeSequence, LocalDate lastRebalance) {

    /** The account's status as {@code journal} holds it now. */
    public static AccountStatus of(Journal journal, String accountId) {
        return fold(accountId, journal.stream(AccountEvent.streamOf(accountId)));
    }

    /** Folds the records of the account's stream, in order. */
    public static AccountStatus fold(String accountId, List<JournalRecord> records) {
        AccountStatus status = new AccountStatus(accountId, TradingState.ACTIVE, null, null, 0, null);
        for (JournalRecord r : records) {
            status = switch (r.event()) {
                case TradingStateChanged c -> new AccountStatus(accountId, c.to(), c,
                        c.baseline() != null ? c : status.lastResume,
                        c.baseline() != null ? r.sequence() : status.resumeSequence, status.lastRebalance);
                case LastRebalanceMoved m -> new AccountStatus(accountId, status.state, status.lastChange,
                        status.lastResume, status.resumeSequence, m.date());
                default -> status;
            };
        }
        return status;
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

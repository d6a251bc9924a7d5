package dev.keel.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keel.core.account.AccountStatus;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.journal.TradingStateChanged;
import dev.keel.core.journal.TransactionSummary;
import dev.keel.core.model.TradingState;
import dev.keel.core.reconcile.AccountCheck;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * One account's trading state for {@code keel account status}: where it stands, since when and why, what it may send,
 * its latest transactions, and a check of the broker against the journal made now.
 *
 * @param rule              what the state lets leave Keel, in a sentence
 * @param causedBy          the transaction whose outcome moved the account, or null
 * @param check             the broker compared with the journal just now (nothing journaled); null with --offline
 * @param lastTransactions  the account's latest transactions, newest first
 */
record AccountDocument(
        @JsonProperty("account") String account,
        @JsonProperty("state") TradingState state,
        @JsonProperty("since") Instant since,
        @JsonProperty("reason") String reason,
        @JsonProperty("cause") ErrorCode cause,
        @JsonProperty("actor") TradingState.Actor actor,
        @JsonProperty("caused_by") String causedBy,
        @JsonProperty("rule") String rule,
        @JsonProperty("last_rebalance") LocalDate lastRebalance,
        @JsonProperty("check") Check check,
        @JsonProperty("last_transactions") List<TxCommand.Row> lastTransactions) {

    /**
     * The broker against the journal.
     *
     * @param comparedWith the baseline: a transaction id, {@code resume at INSTANT}, or null when there is none
     * @param error        why the broker could not be read, or null
     */
    record Check(@JsonProperty("agrees") boolean agrees, @JsonProperty("compared_with") String comparedWith,
                 @JsonProperty("differences") List<String> differences, @JsonProperty("error") String error) {
        static Check of(AccountCheck c) {
            return new Check(c.agrees(), c.baseline(), c.differences(), null);
        }

        static Check failed(String error) {
            return new Check(false, null, List.of(), error);
        }
    }

    static AccountDocument of(AccountStatus s, Check check, List<TransactionSummary> recent) {
        TradingStateChanged c = s.lastChange();
        return new AccountDocument(s.accountId(), s.state(), s.since(), c == null ? null : c.reason(),
                c == null ? null : c.cause(), c == null ? null : c.actor(), c == null ? null : c.txId(), rule(s),
                s.lastRebalance(), check, recent.stream().map(TxCommand.Row::of).toList());
    }

    static String rule(AccountStatus s) {
        return switch (s.state()) {
            case ACTIVE -> "every order may be sent";
            case REDUCING -> "only cancels and sells of long positions are sent; buys are skipped";
            case HALTED -> "nothing but cancels is sent until 'keel account resume --account " + s.accountId()
                    + " --reason TEXT'";
        };
    }

    void print(Output output) {
        output.line("Account " + account + ": " + state + (since == null ? "" : " since " + since));
        if (reason != null) {
            output.line("  why:   " + reason + " (" + actor.name().toLowerCase(java.util.Locale.ROOT)
                    + (cause == null ? "" : ", " + cause) + (causedBy == null ? "" : ", transaction " + causedBy) + ")");
        }
        output.line("  rule:  " + rule);
        output.line("  last rebalance: " + (lastRebalance == null ? "never completed" : lastRebalance));
        if (check != null) {
            String against = check.comparedWith() == null ? "" : " (compared with " + check.comparedWith() + ")";
            output.line("  check: " + (check.error() != null ? "broker unavailable: " + check.error()
                    : check.agrees() ? "the broker holds what the journal says" + against
                    : check.differences().size() + " difference(s)" + against));
            check.differences().forEach(d -> output.line("    DIFFERENCE " + d));
        }
        if (lastTransactions.isEmpty()) {
            output.line("  no transactions yet");
            return;
        }
        Table t = new Table("TRANSACTION", "STARTED", "OPERATION", "STATUS", "ERROR");
        lastTransactions.forEach(x -> t.row(x.transactionId(), x.startedAt(), x.operation(),
                x.status() == null ? "IN PROGRESS" : x.status().name(),
                x.errorMessage() == null ? "" : x.errorMessage()));
        t.lines().forEach(l -> output.line("  " + l));
    }
}

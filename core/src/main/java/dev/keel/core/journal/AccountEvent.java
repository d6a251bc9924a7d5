package dev.keel.core.journal;

/** The events of an account's stream, {@code account:ID}: its last-rebalance date and its trading state. */
public sealed interface AccountEvent extends JournalEvent permits LastRebalanceMoved, TradingStateChanged {

    /** The id of account {@code accountId}'s stream. */
    static String streamOf(String accountId) {
        return "account:" + accountId;
    }

    @Override
    default String streamId() {
        return streamOf(accountId());
    }

    @Override
    default String streamKind() {
        return ACCOUNT;
    }
}

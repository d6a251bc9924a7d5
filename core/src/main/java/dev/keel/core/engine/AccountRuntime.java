package dev.keel.core.engine;

import dev.keel.core.account.PlacementBreaker;
import dev.keel.core.execution.OrderExecutor;
import dev.keel.core.marketdata.QuoteChain;
import dev.keel.core.rebalance.RebalanceAccount;
import java.util.Objects;

/**
 * An account wired to its broker connection.
 *
 * @param account    what to keep it on
 * @param executor   the order executor over the account's broker gateway
 * @param placement  the breaker on the broker's order placement, whose opening moves the account to REDUCING
 * @param marketData where its prices come from and how they are checked; null for the broker's live quotes alone
 */
public record AccountRuntime(RebalanceAccount account, OrderExecutor executor, PlacementBreaker placement,
                             QuoteChain marketData) {
    public AccountRuntime {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(placement, "placement");
    }

    /** An account priced on its broker's live quotes alone ({@link QuoteChain#live}). */
    public AccountRuntime(RebalanceAccount account, OrderExecutor executor, PlacementBreaker placement) {
        this(account, executor, placement, null);
    }

    /** An account whose order placement is guarded by its gateway's one breaker, priced on live quotes alone. */
    public AccountRuntime(RebalanceAccount account, OrderExecutor executor) {
        this(account, executor, PlacementBreaker.of(executor.gateway().breaker()));
    }

    public String accountId() {
        return account.accountId();
    }
}

package dev.keel.core.engine;

import dev.keel.core.execution.OrderExecutor;
import dev.keel.core.rebalance.RebalanceAccount;
import java.util.Objects;

/**
 * An account wired to its broker connection.
 *
 * @param account  what to keep it on
 * @param executor the order executor over the account's broker gateway
 */
public record AccountRuntime(RebalanceAccount account, OrderExecutor executor) {
    public AccountRuntime {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(executor, "executor");
    }

    public String accountId() {
        return account.accountId();
    }
}

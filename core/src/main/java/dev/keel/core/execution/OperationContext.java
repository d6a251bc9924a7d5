package dev.keel.core.execution;

import dev.keel.core.error.ErrorContext;
import java.util.Objects;

/**
 * Which operation an order belongs to.
 *
 * @param txId          the transaction (operation) id; with the leg it derives the client order id
 * @param accountId     the account
 * @param correlationId ties logs, journal events and notifications together
 */
public record OperationContext(String txId, String accountId, String correlationId) {
    public OperationContext {
        Objects.requireNonNull(txId, "txId");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(correlationId, "correlationId");
    }

    public ErrorContext errorContext() {
        return ErrorContext.of(txId, accountId, correlationId);
    }
}

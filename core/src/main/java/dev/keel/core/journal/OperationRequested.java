package dev.keel.core.journal;

import dev.keel.core.model.OperationParams;
import dev.keel.core.model.OperationType;
import java.time.Instant;
import java.util.Objects;

/** What the operation was asked to do, durable with its start, so a restarted engine resumes the same request. */
public record OperationRequested(String txId, String accountId, OperationType type, OperationParams params,
                                 Instant at) implements OperationEvent {
    public OperationRequested {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(params, "params");
    }
}

package dev.keel.core.error;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where an error happened.
 *
 * @param operationId   the transaction or operation id, or null
 * @param accountId     the account, or null
 * @param correlationId ties log lines, journal events and notifications of one request together, or null
 * @param details       further structured facts (symbol, client order id, HTTP status...), never secrets
 */
public record ErrorContext(String operationId, String accountId, String correlationId, Map<String, String> details) {
    public static final ErrorContext NONE = new ErrorContext(null, null, null, Map.of());

    public ErrorContext {
        details = Map.copyOf(details);
    }

    public static ErrorContext of(String operationId, String accountId, String correlationId) {
        return new ErrorContext(operationId, accountId, correlationId, Map.of());
    }

    public ErrorContext with(String key, String value) {
        TreeMap<String, String> copy = new TreeMap<>(details);
        copy.put(key, value);
        return new ErrorContext(operationId, accountId, correlationId, copy);
    }
}

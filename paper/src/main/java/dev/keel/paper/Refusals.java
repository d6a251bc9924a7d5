package dev.keel.paper;

import dev.keel.core.broker.BrokerException;
import dev.keel.core.broker.Delivery;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.ErrorContext;

/** The exceptions the exchange answers with, shaped like an HTTP broker's (law 10: structured signals). */
final class Refusals {
    private Refusals() {
    }

    static BrokerException reject(RejectReason reason, String accountId, String message) {
        return new BrokerException(reason.code(), reason.delivery(), "paper: " + message, reason.httpStatus(),
                reason.wire(), null, null, context(accountId), null);
    }

    static BrokerException duplicate(String accountId, String clientOrderId) {
        return new BrokerException(ErrorCode.DUPLICATE_CLIENT_ORDER_ID, Delivery.REFUSED,
                "paper: client order id must be unique: " + clientOrderId, 422, "duplicate-client-order-id", null,
                null, context(accountId).with("clientOrderId", clientOrderId), null);
    }

    static BrokerException orderNotFound(String accountId, String brokerOrderId) {
        return new BrokerException(ErrorCode.ORDER_NOT_FOUND, Delivery.REFUSED,
                "paper: order not found: " + brokerOrderId, 404, null, null, null,
                context(accountId).with("brokerOrderId", brokerOrderId), null);
    }

    /** What an injected fault that fails the call throws. */
    static BrokerException fault(FaultRule rule, BrokerCall op, String accountId) {
        String message = "paper: injected " + rule.kind().wire() + " on " + op.wire();
        ErrorContext context = context(accountId).with("fault", rule.kind().wire());
        return switch (rule.kind()) {
            case REJECT -> reject(rule.reason(), accountId, "injected " + rule.reason().wire() + " on " + op.wire());
            case RATE_LIMITED -> new BrokerException(ErrorCode.RATE_LIMITED, Delivery.NOT_PROCESSED, message, 429,
                    null, rule.duration(), null, context, null);
            case SERVER_ERROR -> new BrokerException(ErrorCode.BROKER_SERVER_ERROR, Delivery.AMBIGUOUS, message,
                    rule.status(), null, null, null, context, null);
            case TIMEOUT_BEFORE_ACCEPT, TIMEOUT_AFTER_ACCEPT -> new BrokerException(ErrorCode.BROKER_TIMEOUT,
                    Delivery.AMBIGUOUS, message, null, null, null, null, context, null);
            case CONNECTION_RESET -> new BrokerException(ErrorCode.CONNECTION_RESET, Delivery.AMBIGUOUS, message,
                    null, null, null, null, context, null);
            case NO_QUOTE -> new BrokerException(ErrorCode.QUOTE_MISSING, Delivery.REFUSED, message, null, null,
                    null, null, context, null);
            case SLOW, PARTIAL_FILL, NO_FILL, STALE_QUOTE, STREAM_DROP ->
                    throw new IllegalArgumentException(rule.kind().wire() + " does not fail a call");
        };
    }

    private static ErrorContext context(String accountId) {
        return ErrorContext.of(null, accountId, null);
    }
}

package dev.keel.core.error;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The standard error response of the broker-integration spec:
 * {@code {error:{code,message,category,severity,retryable,details,timestamp,correlationId,suggestion},
 * recovery:{strategy,retryAfter,fallback,manual}}}.
 */
public record ErrorResponse(Error error, Recovery recovery) {

    /** The error half. */
    public record Error(String code, String message, String category, String severity, boolean retryable,
                        Map<String, String> details, Instant timestamp, String correlationId, String suggestion) {
    }

    /**
     * The recovery half.
     *
     * @param retryAfter seconds to wait before retrying, or null
     * @param fallback   what Keel does instead, or null
     * @param manual     whether a human must act
     */
    public record Recovery(String strategy, Long retryAfter, String fallback, boolean manual) {
    }

    public static ErrorResponse of(ErrorCode code, String message, ErrorContext context, Duration retryAfter,
                                   Instant timestamp) {
        Error error = new Error(code.name(), message, code.category().wire(), code.severity().wire(),
                code.retryable(), context.details(), timestamp, context.correlationId(), code.suggestion());
        String fallback = switch (code.strategy()) {
            case DEGRADE -> "skip the affected symbol in this run";
            case FAILOVER -> "use the configured backup endpoint";
            case CIRCUIT_BREAK -> "refuse calls until the breaker half-opens";
            default -> null;
        };
        Recovery recovery = new Recovery(code.strategy().wire(), retryAfter == null ? null : retryAfter.toSeconds(),
                fallback, code.strategy() == RecoveryStrategy.MANUAL);
        return new ErrorResponse(error, recovery);
    }

    public static ErrorResponse of(KeelException e, Instant timestamp) {
        Duration retryAfter = e instanceof dev.keel.core.broker.BrokerException b ? b.retryAfter() : null;
        return of(e.code(), e.getMessage(), e.context(), retryAfter, timestamp);
    }
}

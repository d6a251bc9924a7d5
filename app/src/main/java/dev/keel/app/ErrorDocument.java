package dev.keel.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.ErrorContext;
import dev.keel.core.error.ErrorResponse;
import java.time.Instant;
import java.util.Map;

/**
 * The standard error response ({@link ErrorResponse}) as {@code --json} prints it: one document on stdout, snake_case
 * keys, with the exit code the process ends with.
 */
record ErrorDocument(@JsonProperty("error") Error error, @JsonProperty("recovery") Recovery recovery,
                     @JsonProperty("exit_code") int exitCode) {

    /** What went wrong. */
    record Error(@JsonProperty("code") String code, @JsonProperty("message") String message,
                 @JsonProperty("category") String category, @JsonProperty("severity") String severity,
                 @JsonProperty("retryable") boolean retryable, @JsonProperty("details") Map<String, String> details,
                 @JsonProperty("timestamp") Instant timestamp, @JsonProperty("correlation_id") String correlationId,
                 @JsonProperty("suggestion") String suggestion, @JsonProperty("runbook") String runbook) {
    }

    /** What Keel does about it, and whether a person must act. */
    record Recovery(@JsonProperty("strategy") String strategy, @JsonProperty("retry_after") Long retryAfter,
                    @JsonProperty("fallback") String fallback, @JsonProperty("manual") boolean manual) {
    }

    static ErrorDocument of(ErrorCode code, String message, ErrorContext context, Instant at, int exitCode) {
        ErrorResponse r = ErrorResponse.of(code, message, context, null, at);
        ErrorResponse.Error e = r.error();
        return new ErrorDocument(new Error(e.code(), e.message(), e.category(), e.severity(), e.retryable(),
                e.details(), e.timestamp(), e.correlationId(), e.suggestion(), code.runbook()),
                new Recovery(r.recovery().strategy(), r.recovery().retryAfter(), r.recovery().fallback(),
                        r.recovery().manual()), exitCode);
    }
}

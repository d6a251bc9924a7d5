package dev.keel.core.error;

import java.util.Objects;

/** The one unchecked exception of Keel: an error code and where it happened. */
public class KeelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final transient ErrorContext context;

    public KeelException(ErrorCode code, String message) {
        this(code, message, ErrorContext.NONE, null);
    }

    public KeelException(ErrorCode code, String message, ErrorContext context, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.context = Objects.requireNonNull(context, "context");
    }

    public ErrorCode code() {
        return code;
    }

    public ErrorContext context() {
        return context;
    }
}

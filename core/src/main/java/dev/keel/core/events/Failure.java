package dev.keel.core.events;

import dev.keel.core.error.ErrorCode;
import java.util.Objects;

/**
 * Why a delivery was not acknowledged: a catalog code and what happened, in words an operator reads in
 * {@code keel dlq show}.
 */
public record Failure(ErrorCode code, String message) {
    public Failure {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }
}

package dev.keel.core.error;

/** What kind of thing went wrong. */
public enum ErrorCategory {
    NETWORK, AUTH, RATE_LIMIT, VALIDATION, BROKER, TIMEOUT, DATA, SYSTEM;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

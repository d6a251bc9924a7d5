package dev.keel.core.error;

/** What Keel (or the operator) does about an error. */
public enum RecoveryStrategy {
    RETRY_IMMEDIATE, RETRY_BACKOFF, CIRCUIT_BREAK, FAILOVER, DEGRADE, MANUAL, IGNORE;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

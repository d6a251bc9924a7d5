package dev.keel.core.error;

/** How urgently a human must look, from most to least urgent. */
public enum Severity {
    CRITICAL, HIGH, MEDIUM, LOW, INFO;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** True when this severity is at least as urgent as {@code other}. */
    public boolean atLeast(Severity other) {
        return ordinal() <= other.ordinal();
    }
}

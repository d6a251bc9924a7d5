package dev.keel.core.model;

/** Buy or sell. */
public enum Side {
    BUY, SELL;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

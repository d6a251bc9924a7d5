package dev.keel.core.model;

/** Order types: market, limit, and stop and stop-limit, which rest until the price crosses their stop. */
public enum OrderType {
    MARKET, LIMIT, STOP, STOP_LIMIT
}

package dev.keel.core.model;

/** Order types Keel sends today; stop and stop-limit come with order operations. */
public enum OrderType {
    MARKET, LIMIT
}

package dev.keel.core.model;

/** How long an order rests at the broker. */
public enum TimeInForce {
    DAY, GTC, IOC
}

package dev.keel.core.model;

/** How orders are tied together at the broker: alone, one-cancels-other, or an entry with OCO exits (bracket). */
public enum OrderClass {
    SIMPLE, OCO, BRACKET
}

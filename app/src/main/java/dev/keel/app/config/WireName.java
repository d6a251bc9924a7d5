package dev.keel.app.config;

import java.util.Locale;

/** A configuration enum, spelled in YAML and JSON as its lower-case, dash-separated name ({@code RATE_LIMITED} is {@code rate-limited}). */
public interface WireName {
    String name();

    default String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}

package dev.keel.core.journal;

import java.time.Instant;
import java.util.Objects;

/**
 * A rehearsal began: every Keel process that opens the journal before {@code until} injects the fault.
 *
 * @param target      what fails: {@code submit}, {@code cancel}, {@code lookup}, {@code reads}, {@code quotes} or
 *                    {@code notify:CHANNEL}
 * @param kind        how it fails ({@code timeout}, {@code unavailable}, {@code server-error}, {@code rate-limit},
 *                    {@code reset}, {@code reject}; {@code down} for a channel)
 * @param probability the chance each call fails, in (0, 1]
 * @param seed        seeds which calls fail, so a rehearsal can be repeated
 * @param until       when it ends on its own
 * @param by          who started it
 */
public record ChaosStarted(String sessionId, String target, String kind, double probability, long seed,
                           Instant until, String by, Instant at) implements ChaosEvent {
    public ChaosStarted {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(at, "at");
    }
}

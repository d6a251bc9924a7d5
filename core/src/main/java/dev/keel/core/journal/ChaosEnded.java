package dev.keel.core.journal;

import java.time.Instant;
import java.util.Objects;

/**
 * A rehearsal ended: stopped by an operator, or found past its end.
 *
 * @param reason {@code stopped} or {@code expired}
 */
public record ChaosEnded(String sessionId, String reason, Instant at) implements ChaosEvent {
    public ChaosEnded {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
    }

    @Override
    public boolean closesStream() {
        return true;
    }
}

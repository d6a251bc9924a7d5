package dev.keel.core.chaos;

import dev.keel.core.journal.ChaosEnded;
import dev.keel.core.journal.ChaosStarted;
import dev.keel.core.journal.JournalRecord;
import java.time.Instant;
import java.util.List;

/**
 * One rehearsal as the journal holds it.
 *
 * @param started what was injected
 * @param ended   how it ended, or null while it runs (or has run past its end unrecorded)
 */
public record ChaosSession(ChaosStarted started, ChaosEnded ended) {

    /** The session folded from its stream, or null when the stream holds no start. */
    static ChaosSession fold(List<JournalRecord> stream) {
        ChaosStarted started = null;
        ChaosEnded ended = null;
        for (JournalRecord r : stream) {
            switch (r.event()) {
                case ChaosStarted s -> started = s;
                case ChaosEnded e -> ended = e;
                default -> {
                }
            }
        }
        return started == null ? null : new ChaosSession(started, ended);
    }

    public String id() {
        return started.sessionId();
    }

    /** Whether its fault is injected at {@code now}. */
    public boolean activeAt(Instant now) {
        return ended == null && now.isBefore(started.until()) && !now.isBefore(started.at());
    }

    /** When it stopped injecting: its recorded end, else its planned one. */
    public Instant endedAt() {
        if (ended != null && ended.at().isBefore(started.until())) {
            return ended.at();
        }
        return started.until();
    }
}

package dev.keel.core.journal;

import dev.keel.core.error.ErrorCode;
import java.time.Instant;
import java.util.Objects;

/**
 * An operator resolved a dead-lettered event, saying what was done: like an alert's resolution, the note is what
 * {@code keel runbook CODE} shows as a past resolution of the dead letter's code.
 *
 * @param accountId the account the event named, or null
 * @param code      why the event was dead-lettered
 * @param by        who resolved it
 * @param note      what was done
 */
public record DeadLetterResolved(String eventId, String accountId, ErrorCode code, String by, String note,
                                 Instant at) implements DeadLetterEvent {
    public DeadLetterResolved {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(note, "note");
        Objects.requireNonNull(at, "at");
    }

    @Override
    public boolean closesStream() {
        return true;
    }
}

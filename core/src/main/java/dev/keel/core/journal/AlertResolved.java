package dev.keel.core.journal;

import dev.keel.core.error.ErrorCode;
import java.time.Instant;
import java.util.Objects;

/**
 * The alert is over, with what fixed it: the note is what {@code keel runbook CODE} shows as a past resolution.
 *
 * @param code the alert's catalog code, or null
 * @param by   who resolved it
 * @param note what was done
 */
public record AlertResolved(String alertId, String accountId, ErrorCode code, String by, String note, Instant at)
        implements AlertEvent {
    public AlertResolved {
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(note, "note");
        Objects.requireNonNull(at, "at");
    }

    @Override
    public boolean closesStream() {
        return true;
    }
}

package dev.keel.notify.alert;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.Severity;
import dev.keel.core.journal.AlertAcknowledged;
import dev.keel.core.journal.AlertEscalated;
import dev.keel.core.journal.AlertEvent;
import dev.keel.core.journal.AlertRaised;
import dev.keel.core.journal.AlertResolved;
import dev.keel.core.journal.JournalRecord;
import java.time.Instant;
import java.util.List;

/**
 * One alert as its journal stream tells it.
 *
 * @param tier         escalations made so far, 0 before the first
 * @param acknowledged who acknowledged it, or null
 * @param resolution   the resolution note, or null while open
 */
public record Alert(String id, String accountId, String txId, ErrorCode code, Severity severity, String title,
                    Instant raisedAt, Status status, int tier, String acknowledged, Instant acknowledgedAt,
                    String resolution, Instant resolvedAt) {

    /** Where an alert is: OPEN, then ACKNOWLEDGED (escalates no further), RESOLVED (its stream closed). */
    public enum Status {
        OPEN, ACKNOWLEDGED, RESOLVED
    }

    /** Folds a stream; null when it holds no {@link AlertRaised}. */
    static Alert fold(List<JournalRecord> stream) {
        Alert a = null;
        for (JournalRecord record : stream) {
            if (!(record.event() instanceof AlertEvent event)) {
                continue;
            }
            a = switch (event) {
                case AlertRaised r -> new Alert(r.alertId(), r.accountId(), r.txId(), r.code(), r.severity(),
                        r.title(), r.queuedAt(), Status.OPEN, 0, null, null, null, null);
                case AlertEscalated e -> a == null ? null : new Alert(a.id, a.accountId, a.txId, a.code, a.severity,
                        a.title, a.raisedAt, a.status, Math.max(a.tier, e.tier()), a.acknowledged, a.acknowledgedAt,
                        a.resolution, a.resolvedAt);
                case AlertAcknowledged k -> a == null ? null : new Alert(a.id, a.accountId, a.txId, a.code,
                        a.severity, a.title, a.raisedAt, a.status == Status.RESOLVED ? a.status : Status.ACKNOWLEDGED,
                        a.tier, k.by(), k.at(), a.resolution, a.resolvedAt);
                case AlertResolved r -> a == null ? null : new Alert(a.id, a.accountId, a.txId, a.code, a.severity,
                        a.title, a.raisedAt, Status.RESOLVED, a.tier, a.acknowledged, a.acknowledgedAt, r.note(),
                        r.at());
            };
        }
        return a;
    }
}

package dev.keel.notify;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.Severity;
import dev.keel.core.notify.Notification;
import java.time.Instant;

/** Notifications the channel tests send. */
public final class Samples {
    public static final Instant T0 = Instant.parse("2026-03-02T15:01:00Z");

    private Samples() {
    }

    public static Notification halted() {
        return new Notification("n-1", "main", "tx-9", Severity.CRITICAL, "Account main HALTED (was ACTIVE)",
                "Broker positions differ from the journal (RECONCILIATION_MISMATCH)\nNothing but cancels is sent.",
                T0, ErrorCode.RECONCILIATION_MISMATCH, null);
    }
}

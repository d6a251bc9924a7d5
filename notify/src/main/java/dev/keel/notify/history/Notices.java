package dev.keel.notify.history;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.Severity;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.NotificationQueued;
import dev.keel.core.journal.StreamMovedException;
import dev.keel.core.journal.StreamPosition;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Queues what a check found as a notification in the outbox, routed and raised as an alert like any other, once:
 * its id is derived from {@code key}, so a check run again (by cron, by a restarted server, by two at once) finds it
 * queued and writes nothing.
 */
public final class Notices {
    private Notices() {
    }

    /**
     * The least severity a finding is queued at: MEDIUM, which raises an alert by default. A finding is something to
     * look at even when its code alone is LOW.
     */
    public static Severity atLeastMedium(ErrorCode code) {
        return code.severity().atLeast(Severity.MEDIUM) ? code.severity() : Severity.MEDIUM;
    }

    /** The notification id a finding with this key gets. */
    public static String id(String key) {
        return "n-" + UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Journals the notification unless one with the key's id is there already.
     *
     * @return the id when it was queued now, null when it had been
     */
    public static String queue(Journal journal, String key, String accountId, Severity severity, ErrorCode code,
                               String title, String body, Instant at) {
        NotificationQueued queued = new NotificationQueued(id(key), accountId, null, severity, title, body, at, code,
                null);
        if (!journal.stream(queued.streamId()).isEmpty()) {
            return null;
        }
        try {
            // on the condition that the stream is still empty: of two checks racing, one queues it
            journal.appendAll(List.of(queued), List.of(new StreamPosition(queued.streamId(), 0)));
        } catch (StreamMovedException e) {
            return null;
        }
        return queued.notificationId();
    }
}

package dev.keel.core.notify;

import java.time.Instant;
import java.util.List;

/**
 * Decides, per notification and channel, whether the outbox sends now, holds it back (it stays in the outbox, no
 * attempt counted, and is asked about again on the next dispatch), or counts it as carried by another notification's
 * message ("and N more like this"). Rate limits and grouping live behind this; the default sends everything.
 * Called from dispatching threads concurrently: implementations are thread-safe.
 */
public interface Throttle {
    /** Sends everything at once. */
    Throttle NONE = (notification, channel, now) -> new Send(notification, List.of());

    /** What to do with one notification on one channel now. */
    Decision decide(Notification notification, String channel, Instant now);

    /**
     * Before a round sends anything: {@code notification} is waiting for {@code channel}, so a message sent this
     * round may carry it. Lets a backlog go out as one message per error rather than one per window.
     */
    default void waiting(Notification notification, String channel, Instant now) {
    }

    /** The channel took {@code decision}'s message: count it against the limits and mark what it carried. */
    default void sent(Notification notification, String channel, Send decision, Instant now) {
    }

    /** The outcome of {@link #decide}. */
    sealed interface Decision permits Send, Hold, Carried {
    }

    /**
     * Send {@code message} (the notification, or it with a summary of the ones it carries).
     *
     * @param carries the held-back notifications its message summarises
     */
    record Send(Notification message, List<String> carries) implements Decision {
        public Send {
            carries = List.copyOf(carries);
        }
    }

    /**
     * Not now: it stays in the outbox.
     *
     * @param reason why: a {@link Reason#LIMIT} keeps everything less severe on the channel back for the round too
     */
    record Hold(Reason reason) implements Decision {
        /** Why a notification is held. */
        public enum Reason {
            /** The channel's count for its severity is spent for the window. */
            LIMIT,
            /** The same error went out (or is going out) within the window; the next message of it carries this. */
            GROUPING
        }

        public Hold {
            java.util.Objects.requireNonNull(reason, "reason");
        }
    }

    /** Already told: another notification's message carried it. */
    record Carried(String leaderId) implements Decision {
    }
}

package dev.keel.core.chaos;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.ErrorContext;
import dev.keel.core.error.KeelException;
import dev.keel.core.journal.ChaosEnded;
import dev.keel.core.journal.ChaosStarted;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.StreamMovedException;
import dev.keel.core.journal.StreamPosition;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The rehearsals in the journal: start one, stop one, read the ones running. A session's end is journaled when an
 * operator stops it or, once past its planned end, by the next process that reads the sessions ({@link #active}),
 * so every session in the journal has its end.
 */
public final class ChaosSessions {
    private static final String PREFIX = "chaos:";

    private final Journal journal;
    private final Clock clock;

    public ChaosSessions(Journal journal, Clock clock) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Journals a new session; its id comes from its settings and start, so the same command at the same instant is
     * the same session.
     */
    public ChaosSession start(String target, String kind, double probability, Duration duration, long seed, String by) {
        if (!(probability > 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be in (0, 1], but was " + probability);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("the duration must be positive, but was " + duration);
        }
        Instant now = clock.instant();
        String id = "chaos-" + UUID.nameUUIDFromBytes((target + "|" + kind + "|" + probability + "|" + seed + "|"
                + now).getBytes(StandardCharsets.UTF_8)).toString().substring(0, 8);
        ChaosStarted started = new ChaosStarted(id, target, kind, probability, seed, now.plus(duration), by, now);
        try {
            journal.appendAll(List.of(started), List.of(new StreamPosition(started.streamId(), 0)));
        } catch (StreamMovedException e) {
            // the same session was started at the same instant: it is this one
        }
        return get(id);
    }

    /** Ends a running session now; one that has ended is returned as it is. */
    public ChaosSession stop(String id) {
        ChaosSession session = get(id);
        if (session.ended() == null) {
            end(session, session.activeAt(clock.instant()) ? "stopped" : "expired");
        }
        return get(id);
    }

    /** One session; {@code UNKNOWN_ID} when there is none. */
    public ChaosSession get(String id) {
        ChaosSession session = ChaosSession.fold(journal.stream(PREFIX + id));
        if (session == null) {
            throw new KeelException(ErrorCode.UNKNOWN_ID, "no chaos session has id '" + id
                    + "'; 'keel chaos list' shows them", ErrorContext.NONE, null);
        }
        return session;
    }

    /** The sessions injecting now; those past their end get their end journaled here. */
    public List<ChaosSession> active() {
        Instant now = clock.instant();
        List<ChaosSession> out = new ArrayList<>();
        for (String stream : journal.openStreams(JournalEvent.CHAOS)) {
            ChaosSession s = ChaosSession.fold(journal.stream(stream));
            if (s == null) {
                continue;
            }
            if (s.activeAt(now)) {
                out.add(s);
            } else if (!now.isBefore(s.started().until())) {
                end(s, "expired");
            }
        }
        return out;
    }

    private void end(ChaosSession s, String reason) {
        Instant at = reason.equals("expired") ? s.started().until() : clock.instant();
        try {
            journal.appendAll(List.of(new ChaosEnded(s.id(), reason, at)),
                    List.of(StreamPosition.of(PREFIX + s.id(), journal.stream(PREFIX + s.id()))));
        } catch (StreamMovedException e) {
            // another process ended it first
        }
    }
}

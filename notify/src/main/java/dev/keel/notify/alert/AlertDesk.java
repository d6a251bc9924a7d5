package dev.keel.notify.alert;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.ErrorContext;
import dev.keel.core.error.KeelException;
import dev.keel.core.execution.SimulationHooks;
import dev.keel.core.journal.AlertAcknowledged;
import dev.keel.core.journal.AlertEscalated;
import dev.keel.core.journal.AlertRaised;
import dev.keel.core.journal.AlertResolved;
import dev.keel.core.journal.DeadLetterResolved;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.NotificationQueued;
import dev.keel.core.journal.StreamMovedException;
import dev.keel.core.journal.StreamPosition;
import dev.keel.core.notify.FirstSendEvents;
import dev.keel.core.notify.Outbox;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Alerts over the journal: raises one when the outbox first sends a notification severe enough ({@link
 * #raising()}, given to the outbox), escalates the unacknowledged ones to their next tier ({@link #escalate()}),
 * and takes acknowledgements and resolutions. Every change is an {@code alert:ID} event appended on the condition
 * that the alert's stream has not moved since it was read, so two escalators (a CLI run and a scheduler) never
 * escalate one alert twice, and a restart neither repeats nor loses an escalation: what was escalated is in the
 * journal, what is due is computed from the journal and the clock.
 *
 * <p>Escalation is driven from outside: {@code keel alerts escalate} (from cron, say) and, later, the scheduler of
 * {@code keel serve} call {@link #escalate()}; nothing escalates while nothing calls it.
 */
public final class AlertDesk {
    private static final String STREAM_PREFIX = "alert:";

    private final Journal journal;
    private final Outbox outbox;
    private final Clock clock;
    private final EscalationPolicy policy;
    private final SimulationHooks hooks;
    /** The tiers this desk escalated, by alert: read only when the simulation plants its in-memory count. */
    private final Map<String, Integer> escalatedHere = new java.util.concurrent.ConcurrentHashMap<>();

    public AlertDesk(Journal journal, Outbox outbox, Clock clock, EscalationPolicy policy) {
        this(journal, outbox, clock, policy, SimulationHooks.NONE);
    }

    /** @param hooks where the simulation plants its bugs; {@link SimulationHooks#NONE} in production */
    public AlertDesk(Journal journal, Outbox outbox, Clock clock, EscalationPolicy policy, SimulationHooks hooks) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.hooks = Objects.requireNonNull(hooks, "hooks");
    }

    /**
     * The events that raise an alert for a notification, for {@link Outbox.Builder#firstSendEvents}: none for a
     * notification below the policy's severity or for an escalation (one that names its channels).
     */
    public static FirstSendEvents raising(EscalationPolicy policy, Clock clock) {
        return n -> {
            if (n.channels() != null || !policy.raises(n.severity())) {
                return List.of();
            }
            return List.of(new AlertRaised(n.id(), n.accountId(), n.id(), n.txId(), n.code(), n.severity(),
                    n.title(), n.at(), clock.instant()));
        };
    }

    public EscalationPolicy policy() {
        return policy;
    }

    /** The alerts not yet resolved, oldest first. */
    public List<Alert> open() {
        List<Alert> out = new ArrayList<>();
        for (String stream : journal.openStreams(JournalEvent.ALERT)) {
            Alert alert = Alert.fold(journal.stream(stream));
            if (alert != null) {
                out.add(alert);
            }
        }
        out.sort(Comparator.comparing(Alert::raisedAt).thenComparing(Alert::id));
        return out;
    }

    /** One alert, open or resolved; throws {@code UNKNOWN_ID} when the journal has none by that id. */
    public Alert get(String id) {
        Alert alert = Alert.fold(journal.stream(STREAM_PREFIX + id));
        if (alert == null) {
            throw new KeelException(ErrorCode.UNKNOWN_ID, "no alert has id '" + id
                    + "'; 'keel alerts list' shows the open ones", ErrorContext.NONE, null);
        }
        return alert;
    }

    /** Acknowledges: the alert escalates no further. Acknowledging twice changes nothing; a resolved one is refused. */
    public Alert acknowledge(String id, String by, String note) {
        return change(id, alert -> {
            if (alert.status() == Alert.Status.RESOLVED) {
                throw refused(id, "is resolved already");
            }
            if (alert.status() == Alert.Status.ACKNOWLEDGED) {
                return List.of();
            }
            return List.of(new AlertAcknowledged(id, alert.accountId(), by, note, clock.instant()));
        });
    }

    /** Resolves with what was done; the note is kept for the code's runbook. A resolved one is refused. */
    public Alert resolve(String id, String by, String note) {
        if (note == null || note.isBlank()) {
            throw new IllegalArgumentException("a resolution needs a note saying what was done, but it was blank");
        }
        return change(id, alert -> {
            if (alert.status() == Alert.Status.RESOLVED) {
                throw refused(id, "is resolved already");
            }
            return List.of(new AlertResolved(id, alert.accountId(), alert.code(), by, note.strip(),
                    clock.instant()));
        });
    }

    /**
     * One escalation made by {@link #escalate()}.
     *
     * @param notificationId the notification queued for the tier's channels
     */
    public record Escalation(String alertId, int tier, List<String> channels, String notificationId) {
    }

    /**
     * Escalates every open, unacknowledged alert whose next tier is due now, one tier per alert per call (a call
     * after a long pause catches up one tier at a time, so every tier is told). Each escalation is journaled with
     * its notification in one append; one that another escalator made meanwhile is skipped. The notifications go
     * out on the outbox's next dispatch.
     */
    public List<Escalation> escalate() {
        List<Escalation> made = new ArrayList<>();
        Instant now = clock.instant();
        for (String stream : journal.openStreams(JournalEvent.ALERT)) {
            List<JournalRecord> records = journal.stream(stream);
            Alert alert = Alert.fold(records);
            if (alert == null || alert.status() == Alert.Status.RESOLVED
                    || alert.status() == Alert.Status.ACKNOWLEDGED && !hooks.escalateAcknowledged()) {
                continue;
            }
            List<EscalationPolicy.Tier> tiers = policy.tiersOf(alert.severity());
            int reached = hooks.escalationTierInMemory() ? escalatedHere.getOrDefault(alert.id(), 0) : alert.tier();
            if (reached >= (hooks.escalateFirstTierOnly() ? Math.min(1, tiers.size()) : tiers.size())) {
                continue;
            }
            EscalationPolicy.Tier next = tiers.get(reached);
            if (now.isBefore(alert.raisedAt().plus(next.after()))) {
                continue;
            }
            int tier = reached + 1;
            NotificationQueued page = outbox.prepare(alert.accountId(), alert.txId(), alert.severity(), alert.code(),
                    "ESCALATED (tier " + tier + ", unacknowledged " + minutes(Duration.between(alert.raisedAt(),
                            now)) + "): " + alert.title(), body(alert), next.channels());
            AlertEscalated escalated = new AlertEscalated(alert.id(), alert.accountId(), tier, next.channels(),
                    page.notificationId(), now);
            try {
                journal.appendAll(hooks.escalateWithoutNotification() ? List.of(escalated) : List.of(escalated, page),
                        List.of(StreamPosition.of(stream, records)));
                if (hooks.escalationTierInMemory()) {
                    escalatedHere.put(alert.id(), tier); // kept only for the planted bug: a serve process runs long
                }
                made.add(new Escalation(alert.id(), tier, next.channels(), page.notificationId()));
            } catch (StreamMovedException e) {
                // Another escalator, an ack or a resolution got there first: the next call decides again.
            }
        }
        return made;
    }

    /**
     * A resolution operators journaled for a code, with how often the same note was given.
     *
     * @param note  the note, as first written
     * @param times how many resolutions gave it (notes equal ignoring case and spacing count as one)
     * @param last  the latest of them
     */
    public record PastResolution(String note, int times, Instant last) {
    }

    /**
     * The resolutions journaled for alerts and dead letters of {@code code}, most frequent first, then most recent.
     * Reads the whole journal.
     */
    public List<PastResolution> resolutions(ErrorCode code) {
        Map<String, PastResolution> byNote = new LinkedHashMap<>();
        journal.replay(0, record -> {
            String note = null;
            if (record.event() instanceof AlertResolved r && r.code() == code) {
                note = r.note();
            } else if (record.event() instanceof DeadLetterResolved d && d.code() == code) {
                note = d.note(); // a dead letter's resolution teaches as much as an alert's
            }
            if (note != null) {
                String key = note.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
                byNote.merge(key, new PastResolution(note, 1, record.event().at()), (a, b) -> new PastResolution(
                        a.note(), a.times() + 1, a.last().isAfter(b.last()) ? a.last() : b.last()));
            }
        });
        List<PastResolution> out = new ArrayList<>(byNote.values());
        out.sort(Comparator.comparingInt(PastResolution::times).reversed()
                .thenComparing(PastResolution::last, Comparator.reverseOrder()));
        return out;
    }

    private static String body(Alert alert) {
        return "Nobody has acknowledged this " + alert.severity() + " alert since " + alert.raisedAt() + ".\n"
                + "Acknowledge it: keel alerts ack " + alert.id() + "\n"
                + "Resolve it:     keel alerts resolve " + alert.id() + " --note TEXT";
    }

    private static String minutes(Duration d) {
        return d.toMinutes() + " min";
    }

    private interface Decision {
        List<JournalEvent> events(Alert alert);
    }

    private Alert change(String id, Decision decision) {
        String stream = STREAM_PREFIX + id;
        while (true) {
            List<JournalRecord> records = journal.stream(stream);
            Alert alert = Alert.fold(records);
            if (alert == null) {
                throw new KeelException(ErrorCode.UNKNOWN_ID, "no alert has id '" + id
                        + "'; 'keel alerts list' shows the open ones", ErrorContext.NONE, null);
            }
            List<JournalEvent> events = decision.events(alert);
            if (events.isEmpty()) {
                return alert;
            }
            try {
                journal.appendAll(events, List.of(StreamPosition.of(stream, records)));
                return Alert.fold(journal.stream(stream));
            } catch (StreamMovedException e) {
                // an escalation landed between the read and the write: decide again on what is there now
            }
        }
    }

    private static KeelException refused(String id, String why) {
        return new KeelException(ErrorCode.REQUEST_REFUSED, "alert '" + id + "' " + why, ErrorContext.NONE, null);
    }
}

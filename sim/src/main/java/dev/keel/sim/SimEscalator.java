package dev.keel.sim;

import dev.keel.core.error.KeelException;
import dev.keel.core.execution.SimulationHooks;
import dev.keel.core.journal.AlertRaised;
import dev.keel.core.journal.ForwardingJournal;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.MemoryJournal;
import dev.keel.core.journal.NotificationQueued;
import dev.keel.core.journal.StreamPosition;
import dev.keel.core.notify.Outbox;
import dev.keel.core.time.ManualClock;
import dev.keel.notify.alert.Alert;
import dev.keel.notify.alert.AlertDesk;
import dev.keel.notify.alert.EscalationPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Escalates a scenario's alerts as {@code keel serve} does: a pass every {@link SimAlerting#passInterval} of simulated
 * time, between the scenario's steps, by the current engine process's {@link AlertDesk} (a new one at every engine
 * start, so escalation carries on across crash-restarts from the journal alone). Up to {@link SimAlerting#races}
 * passes race a second escalator (another process, as a {@code keel alerts escalate} from cron would) and the
 * operator, interleaved by a {@link Scheduler} of its own at every append. A simulated operator acknowledges
 * or resolves some alerts at a time drawn per alert; most are left alone.
 *
 * <p>After the scenario's work, {@link #tail} goes on in simulated time, dispatching the outbox and escalating, until
 * no alert has a tier left to come due: so every tier of every alert is judged. Escalation appends are scheduling
 * points but not crash steps: the scenario's crash plan counts the engine's steps, as it did before alerts existed.
 */
final class SimEscalator {
    /** How many tail passes in a row may find a tier due (or a notification not yet tried) and make nothing of it. */
    private static final int STALLED_PASSES = 10;
    /** A fuse on the tail: more passes than any policy drawn needs. */
    private static final int MAX_TAIL_PASSES = 2_000;
    private static final long RACE_STREAM = 0x7261636573L;

    /**
     * One escalation pass, for the checker: when it ran and which journal sequences it covers.
     *
     * @param after the journal's last sequence when the pass began: what it could see
     * @param last  the journal's last sequence when it ended: everything it appended is at or before it
     * @param raced whether two escalators and the operator ran at once
     */
    record Pass(Instant at, long after, long last, boolean raced) {
    }

    /** What the simulated operator does about one alert, and when. */
    private record Action(Kind kind, Instant at) {
    }

    private enum Kind {
        NOTHING, ACKNOWLEDGE, RESOLVE
    }

    private final SimAlerting alerting;
    private final MemoryJournal store;
    private final ManualClock clock;
    private final SimulationHooks hooks;
    private final List<String> trace;
    private final Scheduler scheduler;
    private final SplittableRandom races;
    private final List<Pass> passes = new ArrayList<>();
    private final Map<String, Action> actions = new HashMap<>();
    private final SimProcess operator = new SimProcess(0);
    private final AlertDesk operatorDesk;
    private Instant nextPass;
    private int racesLeft;
    private AlertDesk desk;
    private Outbox outbox;
    private SimProcess process;

    SimEscalator(SimAlerting alerting, long seed, MemoryJournal store, ManualClock clock, SimulationHooks hooks,
                 List<String> trace) {
        this.alerting = alerting;
        this.store = store;
        this.clock = clock;
        this.hooks = hooks;
        this.trace = trace;
        this.scheduler = new Scheduler(new SplittableRandom(seed ^ RACE_STREAM), clock);
        this.races = new SplittableRandom(seed ^ RACE_STREAM ^ 1);
        this.nextPass = clock.instant().plus(alerting.passInterval());
        this.racesLeft = alerting.races();
        // the operator's desk is a CLI invocation: it escalates nothing, so it needs no outbox of its own
        this.operatorDesk = new AlertDesk(journal(operator), Outbox.builder(store, clock, new SplittableRandom(seed))
                .build(), clock, alerting.policy());
    }

    /** The events that raise an alert, for the outbox of every engine. */
    dev.keel.core.notify.FirstSendEvents raising() {
        return AlertDesk.raising(alerting.policy(), clock);
    }

    /** A new engine process started: from now on its desk escalates, from what the journal says. */
    void started(SimProcess process, Outbox outbox) {
        this.process = process;
        this.outbox = outbox;
        this.desk = new AlertDesk(journal(process), outbox, clock, alerting.policy(), hooks);
    }

    /** Between two steps of the scenario: a pass if a pass's time has come since the last. */
    void tick() {
        if (!clock.instant().isBefore(nextPass)) {
            pass();
        }
    }

    List<Pass> passes() {
        return List.copyOf(passes);
    }

    /**
     * Keel serve carries on after the scenario's work: the outbox is dispatched and escalation passes run, simulated
     * time moving to the next moment a tier comes due (on the pass grid), until nothing is left to come due.
     */
    void tail() {
        int stalled = 0;
        for (int i = 0; i < MAX_TAIL_PASSES; i++) {
            long before = store.lastSequence();
            outbox.dispatch();
            pass();
            boolean progress = store.lastSequence() > before;
            Instant now = clock.instant();
            Instant next = null;
            boolean owed = unraised();
            for (Alert alert : desk.open()) {
                Instant due = due(alert);
                Action action = action(alert);
                if (action.kind() != Kind.NOTHING && action.at().isAfter(now)
                        && alert.status() == Alert.Status.OPEN) {
                    due = due == null || action.at().isBefore(due) ? action.at() : due;
                }
                if (due != null && !due.isAfter(now)) {
                    owed = true;
                } else if (due != null && (next == null || due.isBefore(next))) {
                    next = due;
                }
            }
            stalled = owed && !progress ? stalled + 1 : 0;
            if (owed && stalled < STALLED_PASSES) {
                clock.advance(alerting.passInterval());
            } else if (next != null) {
                clock.advance(Duration.between(now, onGrid(next)));
            } else {
                if (owed) {
                    trace.add(now + " escalation: " + STALLED_PASSES + " passes in a row left a due tier or an "
                            + "untried notification as it was; the tail stops");
                }
                return;
            }
        }
        trace.add(clock.instant() + " escalation: the tail ran " + MAX_TAIL_PASSES + " passes");
    }

    /** The first instant of the pass grid at or after {@code t}, and never before the next pass. */
    private Instant onGrid(Instant t) {
        Instant at = nextPass;
        while (at.isBefore(t)) {
            at = at.plus(alerting.passInterval());
        }
        return at;
    }

    /** When the alert's next tier comes due, or null when it has none left (or is acknowledged). */
    private Instant due(Alert alert) {
        List<EscalationPolicy.Tier> tiers = alerting.policy().tiersOf(alert.severity());
        if (alert.status() != Alert.Status.OPEN || alert.tier() >= tiers.size()) {
            return null;
        }
        return alert.raisedAt().plus(tiers.get(alert.tier()).after());
    }

    /** Whether a notification that the policy raises an alert for has none yet (it was never tried). */
    private boolean unraised() {
        for (String stream : store.openStreams(JournalEvent.NOTIFICATION)) {
            for (JournalRecord r : store.stream(stream)) {
                if (r.event() instanceof NotificationQueued q && q.channels() == null
                        && alerting.policy().raises(q.severity())
                        && store.stream("alert:" + q.notificationId()).stream()
                                .noneMatch(a -> a.event() instanceof AlertRaised)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void pass() {
        Instant at = clock.instant();
        long after = store.lastSequence();
        // Racing costs threads and hand-offs: only a pass with something to do races, half of them, a few per scenario.
        boolean raced = racesLeft > 0 && somethingDue(at) && races.nextBoolean();
        if (raced) {
            racesLeft--;
            SimProcess second = new SimProcess(0);
            AlertDesk other = new AlertDesk(journal(second), Outbox.builder(store, clock, races.split()).build(),
                    clock, alerting.policy(), hooks);
            scheduler.run(List.of(
                    new Scheduler.Actor("escalator@" + process, process, () -> escalate(desk, "escalator@" + process)),
                    new Scheduler.Actor("escalator@second", second, () -> escalate(other, "escalator@second")),
                    new Scheduler.Actor("operator", operator, this::operate)));
        } else {
            operate();
            escalate(desk, "escalator@" + process);
        }
        passes.add(new Pass(at, after, store.lastSequence(), raced));
        nextPass = at.plus(alerting.passInterval());
    }

    /** Whether, by the journal, a tier or an operator's action is due at {@code now}. */
    private boolean somethingDue(Instant now) {
        for (Alert alert : operatorDesk.open()) {
            Instant due = due(alert);
            Action action = action(alert);
            if (due != null && !due.isAfter(now) || action.kind() != Kind.NOTHING && !action.at().isAfter(now)
                    && (alert.status() == Alert.Status.OPEN || action.kind() == Kind.RESOLVE)) {
                return true;
            }
        }
        return false;
    }

    private void escalate(AlertDesk by, String name) {
        for (AlertDesk.Escalation e : by.escalate()) {
            trace.add(clock.instant() + " " + name + " escalated alert " + e.alertId() + " to tier " + e.tier());
        }
    }

    /** The operator acts on every open alert whose drawn moment has come. */
    private void operate() {
        for (Alert alert : operatorDesk.open()) {
            Action action = action(alert);
            if (action.kind() == Kind.NOTHING || action.at().isAfter(clock.instant())
                    || action.kind() == Kind.ACKNOWLEDGE && alert.status() != Alert.Status.OPEN) {
                continue;
            }
            try {
                if (action.kind() == Kind.ACKNOWLEDGE) {
                    operatorDesk.acknowledge(alert.id(), "sim-operator", "looking into it");
                } else {
                    operatorDesk.resolve(alert.id(), "sim-operator", "reviewed the account");
                }
                trace.add(clock.instant() + " operator " + action.kind().name().toLowerCase(java.util.Locale.ROOT)
                        + "d alert " + alert.id());
            } catch (KeelException e) {
                trace.add(clock.instant() + " operator's " + action.kind() + " of " + alert.id() + " refused: "
                        + e.getMessage());
            }
        }
    }

    /**
     * The operator's choice for an alert, drawn from the alert's id: most are left alone; a quarter acknowledged and
     * a seventh resolved, at a moment up to half again the severity's last tier (30 min without tiers) after it.
     */
    private Action action(Alert alert) {
        return actions.computeIfAbsent(alert.id(), id -> {
            SplittableRandom r = new SplittableRandom(alerting.operatorSeed() ^ id.hashCode());
            int roll = r.nextInt(100);
            Kind kind = roll < 25 ? Kind.ACKNOWLEDGE : roll < 40 ? Kind.RESOLVE : Kind.NOTHING;
            List<EscalationPolicy.Tier> tiers = alerting.policy().tiersOf(alert.severity());
            Duration horizon = tiers.isEmpty() ? Duration.ofMinutes(30) : tiers.getLast().after().multipliedBy(3)
                    .dividedBy(2);
            return new Action(kind, alert.raisedAt().plusSeconds(r.nextLong(horizon.toSeconds() + 1)));
        });
    }

    /** A process's view of the journal for its alerts: a scheduling point before every append; no crash step. */
    private Journal journal(SimProcess owner) {
        return new ForwardingJournal(store) {
            @Override
            public List<JournalRecord> appendAll(List<? extends JournalEvent> events, List<StreamPosition> expected,
                                                 dev.keel.core.journal.Fence fence) {
                scheduler.point();
                owner.checkAlive();
                return super.appendAll(events, expected, fence);
            }

            @Override
            public JournalRecord append(JournalEvent event) {
                scheduler.point();
                owner.checkAlive();
                return super.append(event);
            }
        };
    }
}

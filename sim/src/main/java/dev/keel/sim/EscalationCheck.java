package dev.keel.sim;

import dev.keel.core.journal.AlertAcknowledged;
import dev.keel.core.journal.AlertEscalated;
import dev.keel.core.journal.AlertEvent;
import dev.keel.core.journal.AlertRaised;
import dev.keel.core.journal.AlertResolved;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.NotificationQueued;
import dev.keel.notify.alert.EscalationPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Law 8 for alerts, "nobody is left in the dark" carried past the first message: every notification the policy raises
 * an alert for raised one; an alert nobody acknowledged or resolved reached its severity's last tier, each tier once,
 * in order, never before it came due, to the tier's channels, with the notification that pages them in the same
 * append; a tier that came due was escalated by the first escalation pass that could see it due, unless an
 * acknowledgement or resolution landed first; nothing escalates after an acknowledgement or resolution, and an alert
 * is raised once (a second raise would fold it back to tier 0, open). Judged on the journal and on the escalation
 * passes the run reports ({@link History#alertPasses}); a scenario without alerting is not judged.
 */
final class EscalationCheck {
    /** The law these findings break: 8, nobody is left in the dark. */
    static final int LAW = 8;

    private final History h;
    private final EscalationPolicy policy;
    private final List<Violation> violations = new ArrayList<>();
    private final Map<Long, JournalRecord> bySequence = new HashMap<>();

    private EscalationCheck(History h) {
        this.h = h;
        this.policy = h.scenario().alerting().policy();
    }

    static List<Violation> check(History h) {
        if (h.scenario().alerting() == null) {
            return List.of();
        }
        EscalationCheck c = new EscalationCheck(h);
        c.run();
        return c.violations;
    }

    private void run() {
        Map<String, List<JournalRecord>> alerts = new LinkedHashMap<>();
        List<NotificationQueued> raising = new ArrayList<>();
        for (JournalRecord r : h.journal()) {
            bySequence.put(r.sequence(), r);
            if (r.event() instanceof AlertEvent a) {
                alerts.computeIfAbsent(a.alertId(), k -> new ArrayList<>()).add(r);
            }
            if (r.event() instanceof NotificationQueued q && q.channels() == null && policy.raises(q.severity())) {
                raising.add(q);
            }
        }
        for (NotificationQueued q : raising) {
            if (alerts.getOrDefault(q.notificationId(), List.of()).stream()
                    .noneMatch(r -> r.event() instanceof AlertRaised)) {
                violation(q.accountId(), q.notificationId(), "a " + q.severity() + " notification never raised its "
                        + "alert, so nothing escalates it: " + q.title(), List.of("journal: " + q));
            }
        }
        alerts.forEach(this::alert);
    }

    private void alert(String id, List<JournalRecord> stream) {
        List<String> context = stream.stream().map(r -> "journal " + r.sequence() + ": " + r.event()).toList();
        JournalRecord raisedRecord = null;
        JournalRecord stop = null;
        List<JournalRecord> escalations = new ArrayList<>();
        for (JournalRecord r : stream) {
            switch ((AlertEvent) r.event()) {
                case AlertRaised again -> {
                    if (raisedRecord == null) {
                        raisedRecord = r;
                    } else if (stop != null || !escalations.isEmpty()) {
                        violation(again.accountId(), id, "raised again after it was escalated, acknowledged or "
                                + "resolved: its fold starts over at tier 0, open", context);
                        return;
                    }
                }
                case AlertEscalated e -> escalations.add(r);
                case AlertAcknowledged k -> stop = stop == null ? r : stop;
                case AlertResolved k -> stop = stop == null ? r : stop;
            }
        }
        if (raisedRecord == null) {
            violation(null, id, "an alert stream without its AlertRaised", context);
            return;
        }
        AlertRaised raised = (AlertRaised) raisedRecord.event();
        List<EscalationPolicy.Tier> tiers = policy.tiersOf(raised.severity());
        String what = raised.severity() + " alert (" + tiers.size() + " tier(s))";
        int reached = 0;
        for (JournalRecord r : escalations) {
            AlertEscalated e = (AlertEscalated) r.event();
            if (e.tier() != reached + 1) {
                violation(raised.accountId(), id, what + ": tier " + e.tier() + (e.tier() <= reached
                        ? " escalated again" : " escalated before tier " + (reached + 1)), context);
                return;
            }
            if (e.tier() > tiers.size()) {
                violation(raised.accountId(), id, what + ": escalated to tier " + e.tier() + ", past its last",
                        context);
                return;
            }
            EscalationPolicy.Tier tier = tiers.get(e.tier() - 1);
            Instant due = raised.queuedAt().plus(tier.after());
            if (stop != null && r.sequence() > stop.sequence()) {
                violation(raised.accountId(), id, what + ": escalated to tier " + e.tier() + " after it was "
                        + (stop.event() instanceof AlertResolved ? "resolved" : "acknowledged"), context);
                return;
            }
            if (e.at().isBefore(due)) {
                violation(raised.accountId(), id, what + ": escalated to tier " + e.tier() + " at " + e.at()
                        + ", before it came due at " + due, context);
            }
            if (!e.channels().equals(tier.channels())) {
                violation(raised.accountId(), id, what + ": tier " + e.tier() + " went to " + e.channels()
                        + ", not to the tier's " + tier.channels(), context);
            }
            JournalRecord next = bySequence.get(r.sequence() + 1);
            if (!(next != null && next.event() instanceof NotificationQueued q
                    && q.notificationId().equals(e.notificationId()) && e.channels().equals(q.channels()))) {
                violation(raised.accountId(), id, what + ": escalated to tier " + e.tier() + " without the "
                        + "notification that pages " + e.channels() + " in the same append", context);
            }
            reached = e.tier();
        }
        // every tier that came due was escalated by the first pass that could see it, unless someone got there first
        for (int k = 1; k <= Math.min(reached + 1, tiers.size()); k++) {
            Instant due = raised.queuedAt().plus(tiers.get(k - 1).after());
            long seen = k == 1 ? raisedRecord.sequence() : escalations.get(k - 2).sequence();
            SimEscalator.Pass pass = firstPass(due, seen);
            if (pass == null || stop != null && stop.sequence() <= pass.last()) {
                break;
            }
            if (k > reached || escalations.get(k - 1).sequence() > pass.last()) {
                violation(raised.accountId(), id, what + ": tier " + k + " came due at " + due + ", and the "
                        + (pass.raced() ? "raced " : "") + "escalation pass at " + pass.at() + " left it "
                        + (k > reached ? "unescalated" : "to a later pass") + " while nobody had acknowledged it",
                        context);
                return;
            }
        }
        if (stop == null && reached < tiers.size()) {
            violation(raised.accountId(), id, what + " reached tier " + reached + " of " + tiers.size() + " and "
                    + "nobody acknowledged it: left in the dark", context);
        }
    }

    /** The first pass at or after {@code due} that began with sequence {@code seen} already journaled. */
    private SimEscalator.Pass firstPass(Instant due, long seen) {
        for (SimEscalator.Pass p : h.alertPasses()) {
            if (!p.at().isBefore(due) && p.after() >= seen) {
                return p;
            }
        }
        return null;
    }

    private void violation(String account, String alertId, String message, List<String> context) {
        violations.add(new Violation(h.scenario().seed(), LAW, account, "alert " + alertId, message, context));
    }
}

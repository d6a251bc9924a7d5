package dev.keel.app;

import dev.keel.core.chaos.ChaosSession;
import dev.keel.core.journal.BreakerTransitioned;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.NotificationAttemptFailed;
import dev.keel.core.journal.NotificationDelivered;
import dev.keel.core.journal.NotificationQueued;
import dev.keel.core.journal.NotificationSettled;
import dev.keel.core.journal.OrderAttemptFailed;
import dev.keel.core.journal.OrderCancelFailed;
import dev.keel.core.journal.OrderLookedUp;
import dev.keel.core.journal.TradingStateChanged;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.core.journal.TransactionStarted;
import dev.keel.core.model.TransactionStatus;
import dev.keel.notify.history.ErrorHistory;
import dev.keel.notify.history.ErrorOccurrence;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a chaos rehearsal produced, read from the journal between its start and its end: the errors by code and
 * category, the failed attempts and the lookups that resolved unknown outcomes, the breakers' transitions, the
 * trading states, the notifications per channel, and whether anything was lost (an outcome short of COMPLETED that
 * nobody was told of, or a notification given up). What is still open (a transaction in progress, a notification
 * waiting for its channel) is reported apart: it is not lost, it is not finished.
 */
record ChaosReport(String sessionId, String target, String kind, double probability, Instant startedAt,
                   Instant endedAt, boolean running, Map<String, Integer> errorsByCode,
                   Map<String, Integer> errorsByCategory, int failedAttempts, int lookups,
                   List<String> breakerTransitions, List<String> tradingStates,
                   Map<String, Integer> deliveredByChannel, Map<String, Integer> failedByChannel,
                   Map<String, Integer> transactions, int transactionsOpen, int notificationsWaiting,
                   List<String> lost, boolean nothingLost) {

    static ChaosReport of(ChaosSession session, Journal journal, Instant now) {
        Instant from = session.started().at();
        Instant to = session.ended() == null && now.isBefore(session.started().until()) ? now : session.endedAt();
        Map<String, Integer> byCode = new TreeMap<>();
        Map<String, Integer> byCategory = new TreeMap<>();
        for (ErrorOccurrence o : ErrorHistory.read(journal, from, to.plusNanos(1)).occurrences()) {
            byCode.merge(o.code().name(), 1, Integer::sum);
            byCategory.merge(o.code().category().name(), 1, Integer::sum);
        }
        int[] counts = new int[2];
        List<String> breakers = new ArrayList<>();
        List<String> states = new ArrayList<>();
        Map<String, Integer> delivered = new TreeMap<>();
        Map<String, Integer> failed = new TreeMap<>();
        Map<String, Integer> transactions = new TreeMap<>();
        Set<String> started = new HashSet<>();
        Set<String> ended = new HashSet<>();
        Set<String> notified = new HashSet<>();
        Set<String> queued = new HashSet<>();
        Set<String> settled = new HashSet<>();
        List<String> lost = new ArrayList<>();
        List<TransactionEnded> shortOfCompleted = new ArrayList<>();
        journal.replay(0, r -> {
            var e = r.event();
            if (e.at().isBefore(from)) {
                return;
            }
            boolean inside = !e.at().isAfter(to);
            switch (e) {
                case OrderAttemptFailed f when inside -> counts[0]++;
                case OrderCancelFailed f when inside -> counts[0]++;
                case OrderLookedUp l when inside -> counts[1]++;
                case BreakerTransitioned b when inside -> breakers.add(b.at() + " " + b.accountId() + " "
                        + b.endpoint() + ": " + b.from() + " -> " + b.to());
                case TradingStateChanged t when inside -> states.add(t.at() + " " + t.accountId() + ": " + t.from()
                        + " -> " + t.to() + (t.cause() == null ? "" : " (" + t.cause() + ")"));
                case NotificationDelivered d when inside -> delivered.merge(d.channel(), 1, Integer::sum);
                case NotificationAttemptFailed f when inside -> failed.merge(f.channel(), 1, Integer::sum);
                case TransactionStarted t when inside -> started.add(t.txId());
                case TransactionEnded t -> {
                    ended.add(t.txId());
                    if (started.contains(t.txId())) {
                        transactions.merge(t.status().name(), 1, Integer::sum);
                        if (t.status() != TransactionStatus.COMPLETED) {
                            shortOfCompleted.add(t);
                        }
                    }
                }
                case NotificationQueued q -> {
                    if (q.txId() != null) {
                        notified.add(q.txId());
                    }
                    if (inside) {
                        queued.add(q.notificationId());
                    }
                }
                case NotificationSettled s -> {
                    settled.add(s.notificationId());
                    if (!s.delivered() && queued.contains(s.notificationId())) {
                        lost.add("notification " + s.notificationId() + " was given up undelivered");
                    }
                }
                default -> {
                }
            }
        });
        for (TransactionEnded t : shortOfCompleted) {
            if (!notified.contains(t.txId())) {
                lost.add("transaction " + t.txId() + " ended " + t.status() + " and nobody was told");
            }
        }
        started.removeAll(ended);
        queued.removeAll(settled);
        return new ChaosReport(session.id(), session.started().target(), session.started().kind(),
                session.started().probability(), from, to, session.activeAt(now), byCode, byCategory, counts[0],
                counts[1], breakers, states, delivered, failed, transactions, started.size(), queued.size(), lost,
                lost.isEmpty());
    }
}

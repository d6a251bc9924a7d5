package dev.keel.app;

import dev.keel.core.execution.TransactionView;
import dev.keel.core.journal.OrderAttemptFailed;
import dev.keel.core.journal.OrderFailed;
import dev.keel.core.journal.OrderEvent;
import dev.keel.core.journal.OrderLookedUp;
import dev.keel.core.journal.OrderUpdated;
import dev.keel.core.journal.TransactionEvent;
import dev.keel.core.journal.TransactionResumed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Tells, from a transaction's journal, how Keel got each troubled order to an outcome: for people to read. */
final class RecoveryStory {
    private RecoveryStory() {
    }

    /** One line per order whose history had more than intent and fill, in order of first trouble. */
    static List<String> lines(TransactionView view) {
        Map<String, List<String>> steps = new LinkedHashMap<>();
        Map<String, Instant> lastAt = new LinkedHashMap<>();
        boolean trouble;
        List<String> resumed = new ArrayList<>();
        for (TransactionEvent e : view.events()) {
            String cid = e instanceof OrderEvent o ? o.clientOrderId() : null;
            String step = switch (e) {
                case OrderAttemptFailed f -> "attempt " + f.attempt() + " " + f.code()
                        + (f.httpStatus() == null ? "" : " (HTTP " + f.httpStatus() + ")")
                        + switch (f.delivery()) {
                            case AMBIGUOUS -> ", outcome unknown";
                            case NOT_PROCESSED -> ", not processed";
                            case REFUSED -> ", refused";
                        };
                case OrderLookedUp l -> "looked up by client order id: " + switch (l.outcome()) {
                    case FOUND -> "found, adopted";
                    case NOT_FOUND -> l.afterGrace() ? "not found after the grace period, so absent"
                            : "not found yet (within the visibility grace period)";
                    case ERROR -> "lookup failed (" + l.errorCode() + "), which says nothing";
                };
                case OrderUpdated u -> "broker: " + u.state();
                case OrderFailed f -> "gave up: " + f.state() + " " + f.code()
                        + (f.code().retryable() ? "" : " (not retryable)");
                case TransactionResumed r -> {
                    resumed.add("resumed after a restart: " + r.reason());
                    yield null;
                }
                default -> null;
            };
            if (cid == null || step == null) {
                continue;
            }
            Instant previous = lastAt.put(cid, e.at());
            if (previous != null && Duration.between(previous, e.at()).toMillis() >= 100) {
                step = "waited " + human(Duration.between(previous, e.at())) + ", " + step;
            }
            steps.computeIfAbsent(cid, k -> new ArrayList<>()).add(step);
        }
        List<String> lines = new ArrayList<>(resumed);
        for (Map.Entry<String, List<String>> s : steps.entrySet()) {
            List<String> path = s.getValue();
            trouble = path.size() > 1 || !path.get(0).equals("broker: FILLED");
            if (trouble) {
                String leg = view.order(s.getKey()).leg();
                lines.add(leg + ": " + String.join(" -> ", path));
            }
        }
        return lines;
    }


    private static String human(Duration d) {
        return d.toMillis() < 1000 ? d.toMillis() + "ms" : String.format("%.1fs", d.toMillis() / 1000.0);
    }
}

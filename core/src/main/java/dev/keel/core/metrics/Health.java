package dev.keel.core.metrics;

import dev.keel.core.account.AccountStatus;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.Tallies;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.core.model.TradingState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Keel's health, assessed from the journal and from probes of the brokers: HEALTHY, WARNING or CRITICAL, with a reason
 * and a recommendation for every finding, and the metrics of a recent window.
 */
public final class Health {
    /** A transaction in progress longer than this is probably orphaned by a stopped engine: 5 min. */
    public static final Duration STALE_IN_PROGRESS = Duration.ofMinutes(5);

    private Health() {
    }

    /** Overall and per finding, from best to worst. */
    public enum Status {
        HEALTHY, WARNING, CRITICAL
    }

    /**
     * One thing worth knowing.
     *
     * @param subject        what it is about: an account, a transaction, a broker, the outbox
     * @param recommendation what to do
     */
    public record Finding(Status status, String subject, String reason, String recommendation) {
    }

    /**
     * A probe of one account's broker connection.
     *
     * @param failure      the error when the probe failed, else null
     * @param breakerState the connection's circuit breaker state, e.g. CLOSED or OPEN
     */
    public record Probe(String accountId, String broker, ErrorCode failure, String message, Duration latency,
                        String breakerState) {
    }

    /**
     * The assessment.
     *
     * @param metrics meters of the window, by name and tags, e.g. {@code keel.transactions{status=PARTIAL}}
     */
    public record Report(Status status, Instant at, Duration window, List<Finding> findings, List<Probe> probes,
                         Map<String, Double> metrics) {
    }

    public static Report assess(Journal journal, Clock clock, Duration window, List<Probe> probes) {
        Instant now = clock.instant();
        Instant since = now.minus(window);
        List<Finding> findings = new ArrayList<>();
        List<String> open = journal.openStreams(JournalEvent.TRANSACTION);
        for (String txId : open) {
            journal.transaction(txId).ifPresent(t -> {
                Duration age = Duration.between(t.startedAt(), now);
                if (age.compareTo(STALE_IN_PROGRESS) > 0) {
                    findings.add(new Finding(Status.WARNING, t.txId(), "in progress for " + minutes(age)
                            + " on account " + t.accountId(),
                            "if no engine is running, 'keel recover' resumes or closes it"));
                }
            });
        }
        // The window counts whole minutes, the journal's tallies' unit: from the start of the minute 'window' ago.
        Instant from = Instant.ofEpochSecond(Tallies.minute(since) * 60);
        Tallies.Window tallied = journal.tallies(from);
        // What no tally says (a resubmit's answer, the orders in flight or unknown, an ending's finding) comes from
        // the records of the window of the transactions the tallies marked and of those still open: any other left
        // nothing in flight or unknown and counted every retry in its tallies.
        KeelMetrics fold = new KeelMetrics(new SimpleMeterRegistry(), clock);
        Set<String> read = new LinkedHashSet<>(tallied.attention());
        read.addAll(open);
        for (String txId : read) {
            for (JournalRecord r : journal.stream(txId)) {
                JournalEvent e = r.event();
                if (e.at().isBefore(from)) {
                    continue;
                }
                fold.observe(e);
                if (e instanceof TransactionEnded end) {
                    findings.addAll(ended(end));
                }
            }
        }
        Map<String, Double> metrics = metrics(tallied.meters(), fold);
        double undelivered = metrics.getOrDefault(Tallies.key(Tallies.NOTIFICATIONS, "delivered", "false"), 0.0);
        int pending = journal.openStreams(JournalEvent.NOTIFICATION).size();
        if (pending > 0) {
            findings.add(new Finding(Status.WARNING, "outbox", pending + " notification(s) not yet delivered",
                    "none is given up: each is retried until its channels take it; 'keel alerts outbox' shows what "
                            + "waits and each channel's last error"));
        }
        if (undelivered > 0) {
            findings.add(new Finding(Status.WARNING, "outbox", (long) undelivered + " notification(s) given up after "
                    + "every attempt in the window", ErrorCode.NOTIFICATION_FAILED.suggestion()));
        }
        for (Probe p : probes) {
            AccountStatus account = AccountStatus.of(journal, p.accountId());
            if (account.state() != TradingState.ACTIVE) {
                boolean halted = account.state() == TradingState.HALTED;
                findings.add(new Finding(halted ? Status.CRITICAL : Status.WARNING, "account " + p.accountId(),
                        account.describe(), halted
                        ? "'keel account status --account " + p.accountId() + "', resolve, then 'keel account resume "
                        + "--account " + p.accountId() + " --reason ...'"
                        : "only sells and cancels leave Keel until the broker recovers; it lifts by itself"));
            }
            if (p.failure() != null) {
                findings.add(new Finding(Status.CRITICAL, "broker " + p.broker() + " (" + p.accountId() + ")",
                        "unreachable: " + p.failure() + (p.message() == null ? "" : ": " + p.message()),
                        p.failure().suggestion()));
            } else if (!"CLOSED".equals(p.breakerState())) {
                findings.add(new Finding(Status.WARNING, "broker " + p.broker() + " (" + p.accountId() + ")",
                        "circuit breaker " + p.breakerState(), "calls are refused until it closes; 'keel status' "
                        + "again after its open period"));
            }
        }
        findings.sort(Comparator.comparing((Finding f) -> f.status()).reversed());
        Status overall = findings.stream().map(Finding::status).max(Comparator.naturalOrder())
                .orElse(Status.HEALTHY);
        return new Report(overall, now, window, findings, probes, metrics);
    }

    private static List<Finding> ended(TransactionEnded e) {
        String why = e.status() + (e.errorCode() == null ? "" : " (" + e.errorCode() + ")")
                + (e.errorMessage() == null ? "" : ": " + e.errorMessage());
        return switch (e.status()) {
            case NEEDS_REVIEW -> List.of(new Finding(Status.CRITICAL, e.txId() + " (" + e.accountId() + ")",
                    "ended " + why, "'keel tx show " + e.txId() + "', then 'keel reconcile'; review the account "
                    + "before it trades again"));
            case PARTIAL, FAILED -> List.of(new Finding(Status.WARNING, e.txId() + " (" + e.accountId() + ")",
                    "ended " + why, e.errorCode() == null ? "'keel tx show " + e.txId() + "'"
                    : e.errorCode().suggestion()));
            default -> List.of();
        };
    }

    /**
     * The report's meters, named as {@link KeelMetrics#snapshot} names them: a counter by its key, a distribution by its
     * name (how many), {@code .total} ({@code .total_time} of a duration) and {@code .max}; the gauges of orders in
     * flight from the fold. The meters a registry always holds (retries, recoveries, drift, durations) are there at 0
     * when nothing was tallied, as the report showed them when it replayed into a registry.
     */
    private static Map<String, Double> metrics(Map<String, Tallies.Tally> tallies, KeelMetrics fold) {
        Map<String, Double> values = new TreeMap<>();
        values.put(Tallies.RETRIES, 0.0);
        values.put(Tallies.RECOVERIES, 0.0);
        Map<String, Tallies.Tally> all = new TreeMap<>(Map.of(Tallies.DRIFT, new Tallies.Tally(0, 0, 0),
                Tallies.DURATION, new Tallies.Tally(0, 0, 0)));
        all.putAll(tallies);
        all.forEach((key, t) -> {
            values.put(key, (double) t.count());
            String total = key.equals(Tallies.DURATION) ? ".total_time" : key.equals(Tallies.DRIFT) ? ".total" : null;
            if (total != null) {
                values.put(key + total, t.total());
                values.put(key + ".max", t.max());
            }
        });
        values.merge(Tallies.RETRIES, (double) fold.answeredResubmits(), Double::sum);
        values.put("keel.orders.inflight", (double) fold.inflight());
        values.put("keel.orders.unknown", (double) fold.unknown());
        values.put("keel.orders.inflight.age.max", fold.oldestInflight());
        return values;
    }

    private static String minutes(Duration d) {
        return d.toMinutes() + " min";
    }
}

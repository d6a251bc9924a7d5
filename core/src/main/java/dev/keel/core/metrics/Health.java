package dev.keel.core.metrics;

import dev.keel.core.account.AccountStatus;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.NotificationSettled;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.core.model.TradingState;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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
        for (String txId : journal.openStreams(JournalEvent.TRANSACTION)) {
            journal.transaction(txId).ifPresent(t -> {
                Duration age = Duration.between(t.startedAt(), now);
                if (age.compareTo(STALE_IN_PROGRESS) > 0) {
                    findings.add(new Finding(Status.WARNING, t.txId(), "in progress for " + minutes(age)
                            + " on account " + t.accountId(),
                            "if no engine is running, 'keel recover' resumes or closes it"));
                }
            });
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        KeelMetrics metrics = new KeelMetrics(registry, clock);
        int undelivered = 0;
        List<JournalEvent> recent = new ArrayList<>();
        // Only what the metrics and the findings below read: the day's plans, sizings and notices are not decoded.
        journal.replay(journal.sequenceBefore(since), KeelMetrics.OBSERVED, r -> {
            if (!r.event().at().isBefore(since)) {
                recent.add(r.event());
            }
        });
        for (JournalEvent e : recent) {
            metrics.observe(e);
            if (e instanceof TransactionEnded end) {
                findings.addAll(ended(end));
            }
            if (e instanceof NotificationSettled n && !n.delivered()) {
                undelivered++;
            }
        }
        int pending = journal.openStreams(JournalEvent.NOTIFICATION).size();
        if (pending > 0) {
            findings.add(new Finding(Status.WARNING, "outbox", pending + " notification(s) not yet delivered",
                    "none is given up: each is retried until its channels take it; 'keel alerts outbox' shows what "
                            + "waits and each channel's last error"));
        }
        if (undelivered > 0) {
            findings.add(new Finding(Status.WARNING, "outbox", undelivered + " notification(s) given up after every "
                    + "attempt in the window", ErrorCode.NOTIFICATION_FAILED.suggestion()));
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
        return new Report(overall, now, window, findings, probes, snapshot(registry));
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

    private static Map<String, Double> snapshot(SimpleMeterRegistry registry) {
        Map<String, Double> values = new TreeMap<>();
        for (Meter m : registry.getMeters()) {
            String tags = m.getId().getTags().isEmpty() ? "" : m.getId().getTags().stream()
                    .map(t -> t.getKey() + "=" + t.getValue()).reduce((a, b) -> a + "," + b)
                    .map(t -> "{" + t + "}").orElse("");
            m.measure().forEach(ms -> {
                String stat = ms.getStatistic().name().toLowerCase(java.util.Locale.ROOT);
                String key = m.getId().getName() + tags + (stat.equals("count") || stat.equals("value") ? ""
                        : "." + stat);
                values.putIfAbsent(key, ms.getValue());
            });
        }
        return values;
    }

    private static String minutes(Duration d) {
        return d.toMinutes() + " min";
    }
}

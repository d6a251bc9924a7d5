package dev.keel.app;

import com.cronutils.model.time.ExecutionTime;
import dev.keel.app.config.AccountConfig;
import dev.keel.app.config.Schedules;
import dev.keel.app.config.ServeSettings;
import dev.keel.app.runtime.KeelRuntime;
import dev.keel.core.broker.BrokerException;
import dev.keel.core.engine.Engine;
import dev.keel.core.error.KeelException;
import dev.keel.core.execution.BrokerGateway;
import dev.keel.core.journal.TransactionSummary;
import dev.keel.core.model.MarketClock;
import dev.keel.core.rebalance.ProgressListener;
import dev.keel.core.rebalance.RebalanceOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code keel serve} does by itself: each account's {@code schedule} (a cron expression in the exchange's time
 * zone; a run happens only while the market is open), the protection watch, reconciliation and the outbox's retries
 * every so often, the escalation of unacknowledged alerts, the error rates against their learned thresholds (every 15
 * minutes) and the error patterns of the last 7 days (hourly).
 *
 * <p>Time is the injected clock's: {@link #tick()} runs whatever is due at the clock's now, so a test drives it on a
 * {@code ManualClock} and the server calls it every second. A tick is never run by two threads at once.
 *
 * <p>A scheduled rebalance the process missed (it was down at that minute) runs once at start when it is still inside
 * its window (the same day in the exchange's zone) and the journal holds no rebalance of the account started since
 * that minute: not twice, even with several servers, because the journal is asked, and two that meet on the account
 * meet at its lease (the second finds nothing to do, or is ABORTED with ACCOUNT_LOCKED).
 */
final class ServeScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(ServeScheduler.class);

    /** One thing the scheduler did, for the log and for tests. */
    record Run(Instant at, String job, String account, String result) {
    }

    /** How often error rates are checked against their learned thresholds: every 15 minutes, one window. */
    static final Duration THRESHOLDS_EVERY = Duration.ofMinutes(15);
    /** How often the journal's errors are searched for patterns, and over how long: hourly, the last 7 days. */
    static final Duration PATTERNS_EVERY = Duration.ofHours(1);
    static final Duration PATTERN_WINDOW = Duration.ofDays(7);

    private final KeelRuntime runtime;
    private final ServeSettings settings;
    private final Clock clock;
    private final Map<String, ExecutionTime> schedules = new LinkedHashMap<>();
    private final Map<String, Instant> nextRebalance = new LinkedHashMap<>();
    private final Map<String, Instant> nextPeriodic = new LinkedHashMap<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final List<Run> history = new ArrayList<>();

    ServeScheduler(KeelRuntime runtime, ServeSettings settings, Clock clock) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        for (AccountConfig a : runtime.config().accounts()) {
            if (a.schedule() != null) {
                schedules.put(a.id(), ExecutionTime.forCron(Schedules.parse(a.schedule())));
            }
        }
    }

    /** The accounts with a schedule, each with its next run after the clock's now (for the start-up banner). */
    Map<String, Instant> upcoming() {
        Map<String, Instant> next = new LinkedHashMap<>();
        ZonedDateTime now = clock.instant().atZone(settings.zone());
        schedules.forEach((id, t) -> t.nextExecution(now).ifPresent(n -> next.put(id, n.toInstant())));
        return next;
    }

    /**
     * At start, after recovery: each scheduled rebalance missed earlier today runs now, once; then the next runs are
     * set from now.
     */
    synchronized List<Run> start() {
        Instant now = clock.instant();
        ZonedDateTime local = now.atZone(settings.zone());
        List<Run> runs = new ArrayList<>();
        schedules.forEach((id, t) -> {
            t.lastExecution(local).ifPresent(last -> {
                if (last.toLocalDate().equals(local.toLocalDate()) && !rebalancedSince(id, last.toInstant())) {
                    runs.add(rebalance(id, "missed run of " + last.toLocalTime() + " " + settings.zone().getId()));
                }
            });
            t.nextExecution(local).ifPresent(n -> nextRebalance.put(id, n.toInstant()));
        });
        periodic("watch", settings.watchEvery(), now);
        periodic("reconcile", settings.reconcileEvery(), now);
        periodic("outbox", settings.outboxEvery(), now);
        periodic("escalation", Duration.ofMinutes(1), now);
        periodic("thresholds", THRESHOLDS_EVERY, now);
        periodic("patterns", PATTERNS_EVERY, now);
        history.addAll(runs);
        return runs;
    }

    private void periodic(String job, Duration every, Instant now) {
        if (every != null) {
            nextPeriodic.put(job, now.plus(every));
        }
    }

    /** Runs every job due at the clock's now; each job's next time is set from now, so a late tick never doubles. */
    synchronized List<Run> tick() {
        List<Run> runs = new ArrayList<>();
        Instant now = clock.instant();
        for (Map.Entry<String, Instant> e : nextRebalance.entrySet()) {
            if (stopping.get() || now.isBefore(e.getValue())) {
                continue;
            }
            String id = e.getKey();
            if (!rebalancedSince(id, e.getValue())) {
                runs.add(rebalance(id, "scheduled run of " + e.getValue().atZone(settings.zone()).toLocalTime()
                        + " " + settings.zone().getId()));
            }
            schedules.get(id).nextExecution(now.atZone(settings.zone()))
                    .ifPresent(n -> e.setValue(n.toInstant()));
        }
        for (Map.Entry<String, Instant> e : nextPeriodic.entrySet()) {
            if (stopping.get() || now.isBefore(e.getValue())) {
                continue;
            }
            runs.addAll(runPeriodic(e.getKey(), now));
            e.setValue(now.plus(every(e.getKey())));
        }
        history.addAll(runs);
        return runs;
    }

    /** Stop starting jobs: a tick that comes after this does nothing. */
    void stop() {
        stopping.set(true);
    }

    synchronized List<Run> history() {
        return List.copyOf(history);
    }

    private Duration every(String job) {
        return switch (job) {
            case "watch" -> settings.watchEvery();
            case "reconcile" -> settings.reconcileEvery();
            case "outbox" -> settings.outboxEvery();
            case "thresholds" -> THRESHOLDS_EVERY;
            case "patterns" -> PATTERNS_EVERY;
            default -> Duration.ofMinutes(1);
        };
    }

    private List<Run> runPeriodic(String job, Instant now) {
        List<Run> runs = new ArrayList<>();
        Engine engine = runtime.engine();
        switch (job) {
            case "outbox" -> {
                var report = runtime.outbox().dispatch();
                if (!report.attempts().isEmpty()) {
                    runs.add(new Run(now, job, null, report.attempts().size() + " delivery attempt(s), "
                            + report.pending().size() + " still pending"));
                }
            }
            case "thresholds" -> {
                String broker = runtime.config().broker().kind().wire();
                var report = new dev.keel.notify.threshold.DynamicThresholds(runtime.journal(),
                        dev.keel.notify.threshold.ThresholdSettings.DEFAULTS, account -> broker).run(now);
                runs.add(new Run(now, job, null, report.queued().size() + " threshold alert(s) queued"));
            }
            case "patterns" -> {
                String broker = runtime.config().broker().kind().wire();
                var report = new dev.keel.notify.pattern.PatternDetector(runtime.journal(),
                        dev.keel.notify.pattern.PatternSettings.DEFAULTS, account -> broker).run(now, PATTERN_WINDOW);
                runs.add(new Run(now, job, null, report.queued().size() + " pattern alert(s) queued"));
            }
            case "escalation" -> {
                var escalated = runtime.alerts().escalate();
                if (!escalated.isEmpty()) {
                    runs.add(new Run(now, job, null, escalated.size() + " alert(s) escalated"));
                }
            }
            default -> {
                for (String id : engine.accountIds()) {
                    if (stopping.get()) {
                        break;
                    }
                    try {
                        String result = job.equals("watch") ? String.valueOf(engine.watch(id))
                                : engine.reconcile(id).agrees() ? "agrees" : "disagrees: journaled for review";
                        runs.add(new Run(now, job, id, result));
                    } catch (KeelException e) {
                        // the next pass runs it again; an account another caller holds is that caller's
                        LOG.info("{} of {} did not run: {} {}", job, id, e.code(), e.getMessage());
                        runs.add(new Run(now, job, id, "not run: " + e.code()));
                    }
                }
            }
        }
        return runs;
    }

    private Run rebalance(String id, String why) {
        Instant now = clock.instant();
        BrokerGateway gateway = runtime.gateway(id);
        try {
            MarketClock market = gateway.read(gateway.broker()::clock);
            if (!market.open()) {
                LOG.info("{} of {} skipped: the market is closed (opens {})", why, id, market.nextOpen());
                return new Run(now, "rebalance", id, "skipped: market closed, opens " + market.nextOpen());
            }
        } catch (BrokerException e) {
            // the rebalance's own pre-flight reads the clock again and journals the refusal, with its notification
            LOG.warn("{} of {}: the market clock could not be read ({}); the rebalance decides", why, id, e.code());
        }
        try {
            RebalanceOutcome outcome = runtime.engine().rebalance(id, null, ProgressListener.NONE);
            LOG.info("{} of {}: {} {}", why, id, outcome.status(), outcome.txId());
            return new Run(now, "rebalance", id, outcome.status() + " " + outcome.txId());
        } catch (KeelException e) {
            LOG.warn("{} of {} failed: {} {}", why, id, e.code(), e.getMessage());
            return new Run(now, "rebalance", id, "failed: " + e.code());
        }
    }

    /**
     * Whether the journal holds a rebalance of the account started at or after {@code since}, by any process: the
     * newest 500 of its transactions are read, newest first, until one started before {@code since}.
     */
    private boolean rebalancedSince(String accountId, Instant since) {
        for (TransactionSummary s : runtime.journal().recentTransactions(500, accountId)) {
            if (s.startedAt().isBefore(since)) {
                return false;
            }
            if ("rebalance".equals(s.operation())) {
                return true;
            }
        }
        return false;
    }
}

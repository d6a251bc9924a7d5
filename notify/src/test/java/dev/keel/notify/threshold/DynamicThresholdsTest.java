package dev.keel.notify.threshold;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.Severity;
import dev.keel.core.journal.AlertRaised;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.NotificationQueued;
import dev.keel.core.notify.AbstractChannel;
import dev.keel.core.notify.Notification;
import dev.keel.core.notify.Outbox;
import dev.keel.core.time.ManualClock;
import dev.keel.notify.alert.AlertDesk;
import dev.keel.notify.alert.EscalationPolicy;
import dev.keel.notify.history.ErrorJournal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Dynamic thresholds on seeded journals: learned from a week of 15-minute windows, a floor until there are 20. */
class DynamicThresholdsTest {
    private static final Instant NOW = Instant.parse("2026-03-09T15:00:00Z");
    private static final Duration W = Duration.ofMinutes(15);
    private static final Instant WEEK_AGO = NOW.minus(Duration.ofDays(7)).minus(W);
    private static final Map<String, String> BROKERS = Map.of("a", "alpaca", "b", "alpaca", "c", "paper");

    private final ErrorJournal history = new ErrorJournal(14);

    private DynamicThresholds thresholds() {
        return new DynamicThresholds(history.journal(), ThresholdSettings.DEFAULTS, BROKERS::get);
    }

    private static DynamicThresholds.Baseline of(DynamicThresholds.Report r, DynamicThresholds.Scope scope,
                                                 String key) {
        return r.baselines().stream().filter(b -> b.scope() == scope && b.key().equals(key)).findFirst()
                .orElseThrow();
    }

    @Test
    void aWindowFarAboveAWeekOfNoiseFiresAndTheBaselineIsThePercentileOfThePastWindows() {
        history.watchingSince(WEEK_AGO).noise(WEEK_AGO, NOW.minus(W), W, 3, "a", ErrorCode.BROKER_TIMEOUT)
                .errors(12, NOW.minus(W), W, "a", ErrorCode.BROKER_TIMEOUT);

        DynamicThresholds.Report report = thresholds().run(NOW);

        DynamicThresholds.Baseline a = of(report, DynamicThresholds.Scope.ACCOUNT, "a");
        assertThat(a.current()).isEqualTo(12);
        assertThat(a.learned()).isTrue();
        assertThat(a.windows()).isEqualTo(672);
        assertThat(a.threshold()).isEqualTo(expectedPercentile("a"));
        assertThat(a.threshold()).isBetween(2, 3);
        assertThat(report.breaches()).extracting(DynamicThresholds.Baseline::scope, DynamicThresholds.Baseline::key)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(DynamicThresholds.Scope.ACCOUNT, "a"),
                        org.assertj.core.groups.Tuple.tuple(DynamicThresholds.Scope.BROKER, "alpaca"));
        assertThat(report.queued()).hasSize(2);
        NotificationQueued q = queued().getFirst();
        assertThat(q.code()).isEqualTo(ErrorCode.BROKER_TIMEOUT);
        assertThat(q.severity()).isEqualTo(Severity.HIGH);
        assertThat(q.title()).isEqualTo("BROKER_TIMEOUT above its usual rate on account a (12 in 15m, usually at most "
                + a.threshold() + ")");
        assertThat(q.body()).contains("the 95th percentile of the 672 past 15m windows");
    }

    @Test
    void anOrdinaryWindowDoesNotFire() {
        history.watchingSince(WEEK_AGO).noise(WEEK_AGO, NOW.minus(W), W, 3, "a", ErrorCode.BROKER_TIMEOUT)
                .errors(2, NOW.minus(W), W, "a", ErrorCode.BROKER_TIMEOUT);

        DynamicThresholds.Report report = thresholds().run(NOW);

        assertThat(report.baselines()).isNotEmpty();
        assertThat(report.breaches()).isEmpty();
        assertThat(queued()).isEmpty();
    }

    @Test
    void eachAccountHasItsOwnBaseline() {
        // b is noisy by nature (up to 20 a window); the same 15 errors are news on a, routine on b
        history.watchingSince(WEEK_AGO).noise(WEEK_AGO, NOW.minus(W), W, 3, "a", ErrorCode.QUOTE_STALE)
                .noise(WEEK_AGO, NOW.minus(W), W, 20, "b", ErrorCode.QUOTE_STALE)
                .errors(15, NOW.minus(W), W, "a", ErrorCode.QUOTE_STALE)
                .errors(15, NOW.minus(W), W, "b", ErrorCode.QUOTE_STALE);

        DynamicThresholds.Report report = thresholds().check(NOW);

        assertThat(of(report, DynamicThresholds.Scope.ACCOUNT, "b").threshold()).isEqualTo(expectedPercentile("b"))
                .isGreaterThanOrEqualTo(15);
        assertThat(report.breaches()).extracting(DynamicThresholds.Baseline::key).contains("a").doesNotContain("b");
    }

    @Test
    void theBrokerBaselineSumsItsAccountsAndCatchesWhatNoAccountShowsAlone() {
        // six accounts on alpaca, each with its usual worst window (4) at once: news for the broker, for none alone
        history.watchingSince(WEEK_AGO);
        for (int i = 1; i <= 6; i++) {
            history.noise(WEEK_AGO, NOW.minus(W), W, 4, "a" + i, ErrorCode.BROKER_UNAVAILABLE)
                    .errors(4, NOW.minus(W), W, "a" + i, ErrorCode.BROKER_UNAVAILABLE);
        }
        history.noise(WEEK_AGO, NOW.minus(W), W, 4, "c", ErrorCode.BROKER_UNAVAILABLE)
                .errors(4, NOW.minus(W), W, "c", ErrorCode.BROKER_UNAVAILABLE);

        DynamicThresholds.Report report = new DynamicThresholds(history.journal(), ThresholdSettings.DEFAULTS,
                account -> account.startsWith("a") ? "alpaca" : "paper").check(NOW);

        DynamicThresholds.Baseline alpaca = of(report, DynamicThresholds.Scope.BROKER, "alpaca");
        assertThat(alpaca.current()).isEqualTo(24);
        assertThat(alpaca.threshold()).isLessThan(24);
        assertThat(of(report, DynamicThresholds.Scope.ACCOUNT, "a1").threshold()).isEqualTo(4);
        assertThat(report.breaches()).extracting(DynamicThresholds.Baseline::scope, DynamicThresholds.Baseline::key)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(DynamicThresholds.Scope.BROKER, "alpaca"));
    }

    @Test
    void untilTwentyWindowsAreWatchedTheStaticFloorStands() {
        Instant since = NOW.minus(Duration.ofHours(3)); // 11 past windows
        history.watchingSince(since).errors(9, NOW.minus(W), W, "a", ErrorCode.BROKER_TIMEOUT)
                .errors(11, NOW.minus(W), W, "c", ErrorCode.BROKER_TIMEOUT);

        DynamicThresholds.Report report = thresholds().check(NOW);

        DynamicThresholds.Baseline a = of(report, DynamicThresholds.Scope.ACCOUNT, "a");
        assertThat(a.learned()).isFalse();
        assertThat(a.windows()).isEqualTo(11);
        assertThat(a.threshold()).isEqualTo(ThresholdSettings.DEFAULTS.floor());
        assertThat(report.breaches()).extracting(DynamicThresholds.Baseline::key).containsExactlyInAnyOrder("c",
                "paper");
    }

    @Test
    void aQuietPastNeverFiresOnFewerThanTheMinimum() {
        history.watchingSince(WEEK_AGO).errors(2, NOW.minus(W), W, "a", ErrorCode.ORDER_REJECTED);

        DynamicThresholds.Report report = thresholds().check(NOW);

        assertThat(of(report, DynamicThresholds.Scope.ACCOUNT, "a").threshold()).isZero();
        assertThat(report.breaches()).isEmpty();
    }

    @Test
    void runAgainInTheSameWindowQueuesNothingNewAndTheAlertIsRaisedWhenSent() {
        history.watchingSince(WEEK_AGO).errors(12, NOW.minus(W), W, "c", ErrorCode.BROKER_TIMEOUT);
        ManualClock clock = new ManualClock(NOW);
        List<String> sent = new ArrayList<>();
        Outbox outbox = Outbox.builder(history.journal(), clock, new SplittableRandom(1))
                .channel(new AbstractChannel("pager", Severity.INFO) {
                    @Override
                    public void send(Notification n) {
                        sent.add(n.title());
                    }
                })
                .firstSendEvents(AlertDesk.raising(EscalationPolicy.defaults(List.of(), List.of()), clock))
                .sendTimeout(Duration.ZERO).build();

        DynamicThresholds.Report first = thresholds().run(NOW);
        DynamicThresholds.Report again = thresholds().run(NOW.plus(Duration.ofMinutes(5)));
        outbox.dispatch();

        assertThat(first.queued()).hasSize(2);
        assertThat(again.breaches()).hasSize(2);
        assertThat(again.queued()).isEmpty();
        assertThat(sent).hasSize(2);
        List<AlertRaised> raised = events(AlertRaised.class);
        assertThat(raised).extracting(AlertRaised::code).containsOnly(ErrorCode.BROKER_TIMEOUT);
        assertThat(raised).extracting(AlertRaised::accountId).containsExactlyInAnyOrder("c", "broker:paper");
    }

    @Test
    void twoRunsThatMeetQueueEachBreachOnce() throws Exception {
        history.watchingSince(WEEK_AGO).errors(12, NOW.minus(W), W, "c", ErrorCode.BROKER_TIMEOUT);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                Instant at = NOW.plus(W.multipliedBy(round)).minusSeconds(1);
                history.errors(12, at.minus(W), W, "c", ErrorCode.BROKER_TIMEOUT);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<DynamicThresholds.Report>> runs = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    runs.add(threads.submit(() -> {
                        start.await();
                        return thresholds().run(at);
                    }));
                }
                start.countDown();
                int queued = 0;
                for (Future<DynamicThresholds.Report> f : runs) {
                    queued += f.get(30, java.util.concurrent.TimeUnit.SECONDS).queued().size();
                }
                assertThat(queued).as("round " + round).isEqualTo(2);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(queued()).hasSize(40);
    }

    /** The nearest-rank 95th percentile of account's past 672 window counts, counted here from the journal. */
    private int expectedPercentile(String account) {
        int[] counts = new int[672];
        for (JournalRecord r : history.journal().all()) {
            if (r.event() instanceof dev.keel.core.journal.OrderAttemptFailed f && f.accountId().equals(account)) {
                long back = Duration.between(f.at(), NOW).toMillis() / W.toMillis();
                if (back >= 1 && back <= 672) {
                    counts[(int) back - 1]++;
                }
            }
        }
        Arrays.sort(counts);
        return counts[(int) Math.ceil(0.95 * 672) - 1];
    }

    private List<NotificationQueued> queued() {
        return events(NotificationQueued.class);
    }

    private <T> List<T> events(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (JournalRecord r : history.journal().all()) {
            if (type.isInstance(r.event())) {
                out.add(type.cast(r.event()));
            }
        }
        return out;
    }
}

package dev.keel.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.broker.Delivery;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.Severity;
import dev.keel.core.journal.MemoryJournal;
import dev.keel.core.journal.NotificationQueued;
import dev.keel.core.journal.OrderAttemptFailed;
import dev.keel.core.journal.OrderFailed;
import dev.keel.core.journal.OrderIntentRecorded;
import dev.keel.core.journal.OrderLookedUp;
import dev.keel.core.journal.OrderUpdated;
import dev.keel.core.journal.ReconciliationRecorded;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.core.journal.TransactionStarted;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.time.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Metrics come from the journal alone; health names every finding with a recommendation. */
class HealthTest {
    private static final Instant T0 = Instant.parse("2026-03-02T15:00:00Z");
    private final ManualClock clock = new ManualClock(T0);
    private final MemoryJournal journal = new MemoryJournal();
    private final OrderSpec buy = OrderSpec.marketNotional(Symbol.of("TLT"), Side.BUY, new BigDecimal("100.00"));

    private void history() {
        AccountSnapshot before = new AccountSnapshot("main", new BigDecimal("1000.00"), new BigDecimal("1000.00"),
                List.of(), T0);
        journal.append(new TransactionStarted("tx-1", "main", "rebalance", "c1", List.of(), before, BigDecimal.ZERO,
                T0));
        journal.append(new OrderIntentRecorded("tx-1", "main", "buy-TLT", "tx-1:buy-TLT", buy, T0));
        journal.append(new OrderAttemptFailed("tx-1", "main", "tx-1:buy-TLT", 1, ErrorCode.BROKER_TIMEOUT,
                Delivery.AMBIGUOUS, null, "timeout", null, T0));
        journal.append(new OrderLookedUp("tx-1", "main", "tx-1:buy-TLT", OrderLookedUp.Outcome.FOUND, false, null,
                T0));
        journal.append(new OrderUpdated("tx-1", "main", "tx-1:buy-TLT", "b-1", OrderState.FILLED, BigDecimal.ONE,
                new BigDecimal("100.00"), T0));
        journal.append(new ReconciliationRecorded("tx-1", "main", List.of(new ReconciliationRecorded.Line("TLT",
                new BigDecimal("0.10"), new BigDecimal("0.0975"), new BigDecimal("-0.0025"), BigDecimal.ONE,
                new BigDecimal("100.00"))), true, T0));
        journal.append(new TransactionEnded("tx-1", "main", TransactionStatus.COMPLETED, null, null, "ok",
                T0.plusSeconds(3)));
        journal.append(new TransactionStarted("tx-2", "main", "rebalance", "c2", List.of(), before, BigDecimal.ZERO,
                T0));
        journal.append(new OrderIntentRecorded("tx-2", "main", "buy-TLT", "tx-2:buy-TLT", buy, T0));
        journal.append(new OrderFailed("tx-2", "main", "tx-2:buy-TLT", OrderState.REJECTED,
                ErrorCode.SYMBOL_NOT_FOUND, "unknown symbol", 0, T0));
        journal.append(new TransactionEnded("tx-2", "main", TransactionStatus.PARTIAL, ErrorCode.SYMBOL_NOT_FOUND,
                "BUY TLT FAILED", "0 of 1 filled", T0));
        journal.append(new NotificationQueued("n-1", "main", "tx-2", Severity.HIGH, "PARTIAL", "body", T0));
        journal.append(new TransactionStarted("tx-3", "main", "rebalance", "c3", List.of(), before, BigDecimal.ZERO,
                T0));
        clock.advance(Duration.ofMinutes(10));
    }

    @Test
    void metricsAreCountedFromJournalEventsAsTheyBecomeDurable() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MeteredJournal metered = new MeteredJournal(journal, new KeelMetrics(registry, clock));
        metered.append(new OrderIntentRecorded("tx-9", "main", "buy-TLT", "tx-9:buy-TLT", buy, T0));
        metered.append(new OrderAttemptFailed("tx-9", "main", "tx-9:buy-TLT", 1, ErrorCode.CONNECTION_RESET,
                Delivery.AMBIGUOUS, null, "reset", null, T0));
        clock.advance(Duration.ofSeconds(30));

        assertThat(registry.get("keel.errors").tag("code", "CONNECTION_RESET").tag("category", "network")
                .counter().count()).isEqualTo(1.0);
        assertThat(registry.get("keel.orders.unknown").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("keel.orders.inflight").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("keel.orders.inflight.age.max").gauge().value()).isEqualTo(30.0);

        metered.append(new OrderLookedUp("tx-9", "main", "tx-9:buy-TLT", OrderLookedUp.Outcome.NOT_FOUND, true, null,
                T0));
        metered.append(new OrderUpdated("tx-9", "main", "tx-9:buy-TLT", "b-9", OrderState.FILLED, BigDecimal.ONE,
                new BigDecimal("100.00"), T0));
        assertThat(registry.get("keel.order.retries").counter().count()).as("the resubmit after proven absence")
                .isEqualTo(1.0);
        assertThat(registry.get("keel.orders.unknown").gauge().value()).isZero();
        assertThat(registry.get("keel.orders.inflight").gauge().value()).isZero();
    }

    @Test
    void reportNamesEachFindingWithARecommendationAndTheWorstSetsTheOverallStatus() {
        history();

        Health.Report report = Health.assess(journal, clock, Duration.ofHours(24), List.of(
                new Health.Probe("main", "paper", null, null, Duration.ofMillis(3), "CLOSED")));

        assertThat(report.status()).isEqualTo(Health.Status.WARNING);
        assertThat(report.findings()).extracting(Health.Finding::subject)
                .containsExactlyInAnyOrder("tx-3", "tx-2 (main)", "outbox");
        assertThat(report.findings()).allSatisfy(f -> assertThat(f.recommendation()).isNotBlank());
        assertThat(report.metrics()).containsEntry("keel.transactions{status=PARTIAL}", 1.0)
                .containsEntry("keel.transactions{status=COMPLETED}", 1.0)
                .containsEntry("keel.errors{category=timeout,code=BROKER_TIMEOUT}", 1.0)
                .containsEntry("keel.orders.unknown", 0.0);
    }

    @Test
    void anUnreachableBrokerIsCritical() {
        Health.Report report = Health.assess(journal, clock, Duration.ofHours(24), List.of(
                new Health.Probe("main", "paper", ErrorCode.UNAUTHORIZED, "401", null, "CLOSED")));

        assertThat(report.status()).isEqualTo(Health.Status.CRITICAL);
        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.reason()).contains("UNAUTHORIZED");
            assertThat(f.recommendation()).isEqualTo(ErrorCode.UNAUTHORIZED.suggestion());
        });
    }

    @Test
    void aQuietJournalIsHealthy() {
        assertThat(Health.assess(journal, clock, Duration.ofHours(24), List.of()).status())
                .isEqualTo(Health.Status.HEALTHY);
    }

    @Test
    void aHaltedAccountIsCriticalWithTheWayToResumeIt() {
        journal.append(new dev.keel.core.journal.TradingStateChanged("main", dev.keel.core.model.TradingState.ACTIVE,
                dev.keel.core.model.TradingState.HALTED, "the broker disagrees with the journal",
                ErrorCode.RECONCILIATION_MISMATCH, dev.keel.core.model.TradingState.Actor.ENGINE, "tx-7", null, T0));

        Health.Report report = Health.assess(journal, clock, Duration.ofHours(24), List.of(
                new Health.Probe("main", "paper", null, null, Duration.ofMillis(3), "CLOSED")));

        assertThat(report.status()).isEqualTo(Health.Status.CRITICAL);
        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.subject()).isEqualTo("account main");
            assertThat(f.reason()).contains("HALTED", "RECONCILIATION_MISMATCH");
            assertThat(f.recommendation()).contains("keel account resume --account main");
        });
        assertThat(report.metrics()).containsEntry("keel.trading.state.changes{to=HALTED}", 1.0);
    }

    /**
     * The report's meters from the journal's tallies and the marked transactions' records are those of feeding every
     * record of the window to {@link KeelMetrics}, as the report did before the tallies: over seeded histories with
     * orders left working, left unknown and resubmitted, for windows from every minute. Durations are held only where
     * the window begins before every transaction (a window now counts every ending in it, wherever its start was).
     */
    @Test
    void theReportsMetersAreThoseOfFeedingEveryRecordOfTheWindowToTheMeters() {
        Instant base = T0.plusSeconds(3600);
        for (long seed = 1; seed <= 4; seed++) {
            MemoryJournal history = new MemoryJournal();
            List<dev.keel.core.journal.JournalEvent> events = dev.keel.core.journal.TallyHistories.history(seed,
                    "s" + seed, 30, base);
            dev.keel.core.journal.TallyHistories.append(history, events, seed);
            ManualClock clock = new ManualClock(events.getLast().at().plusSeconds(60));
            for (Instant from = base; from.isBefore(events.getLast().at()); from = from.plusSeconds(60)) {
                Health.Report report = Health.assess(history, clock, Duration.between(from, clock.instant()),
                        List.of());
                KeelMetrics every = new KeelMetrics(new SimpleMeterRegistry(), clock);
                Instant since = from;
                history.replay(0, r -> {
                    if (!r.event().at().isBefore(since)) {
                        every.observe(r.event());
                    }
                });
                Map<String, Double> expected = every.snapshot();
                Map<String, Double> actual = new java.util.TreeMap<>(report.metrics());
                if (from.isAfter(base)) {
                    expected.keySet().removeIf(k -> k.startsWith(dev.keel.core.journal.Tallies.DURATION));
                    actual.keySet().removeIf(k -> k.startsWith(dev.keel.core.journal.Tallies.DURATION));
                }
                assertThat(actual).as("seed %d from %s", seed, from).hasSameSizeAs(expected);
                long s = seed;
                expected.forEach((k, v) -> assertThat(actual.get(k)).as("seed %d from %s: %s", s, since, k)
                        .isCloseTo(v, org.assertj.core.api.Assertions.within(1e-6 * Math.max(1, Math.abs(v)))));
                assertThat(report.findings().stream().filter(f -> f.subject().startsWith("s" + s + "-tx-"))
                        .filter(f -> f.reason().startsWith("ended")).count()).as("the endings' findings")
                        .isEqualTo(endingsNotCompleted(events, since));
            }
        }
    }

    private static long endingsNotCompleted(List<dev.keel.core.journal.JournalEvent> events, Instant since) {
        return events.stream().filter(e -> e instanceof TransactionEnded end && !e.at().isBefore(since)
                && end.status() != TransactionStatus.COMPLETED).count();
    }
}

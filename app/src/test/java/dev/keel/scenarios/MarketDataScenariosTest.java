package dev.keel.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.error.Severity;
import dev.keel.core.execution.BrokerGateway;
import dev.keel.core.journal.PlanInputsRecorded;
import dev.keel.core.marketdata.BrokerQuoteSource;
import dev.keel.core.marketdata.MarketDataPolicy;
import dev.keel.core.marketdata.QuoteChain;
import dev.keel.core.marketdata.Trust;
import dev.keel.core.model.Symbol;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.rebalance.AllocationSource;
import dev.keel.core.rebalance.ProgressListener;
import dev.keel.core.rebalance.RebalanceOutcome;
import dev.keel.core.rebalance.SkipReason;
import dev.keel.core.rebalance.TargetAllocation;
import dev.keel.paper.BrokerCall;
import dev.keel.paper.FaultRule;
import dev.keel.paper.PaperMarketData;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Market data Keel trusts or refuses, and targets from an allocation service, end to end on the paper exchange. */
class MarketDataScenariosTest {
    private static final Symbol GLD = Symbol.of("GLD");

    @TempDir
    Path dir;

    /** Live quotes, then the exchange's 15-minute delayed feed, then its last close. */
    private static Function<BrokerGateway, QuoteChain> chain(Harness h, boolean allowDegraded) {
        PaperMarketData feed = h.exchange.marketData();
        return gateway -> QuoteChain.builder(h.clock)
                .policy(MarketDataPolicy.builder().allowDegraded(allowDegraded).session(feed.session()).build())
                .source(new BrokerQuoteSource(gateway), MarketDataPolicy.DEFAULT_LIVE_MAX_AGE)
                .source(feed.delayed(Duration.ofMinutes(15)), MarketDataPolicy.DEFAULT_DELAYED_MAX_AGE)
                .source(feed.lastClose(), MarketDataPolicy.DEFAULT_LAST_CLOSE_MAX_AGE)
                .build();
    }

    private static List<FaultRule> staleGldQuotes() {
        return List.of(FaultRule.staleQuote(Duration.ofMinutes(10)).withOp(BrokerCall.QUOTE).withSymbol(GLD));
    }

    private static PlanInputsRecorded inputs(Harness h, String txId) {
        return h.events(txId).stream().filter(PlanInputsRecorded.class::isInstance)
                .map(PlanInputsRecorded.class::cast).findFirst().orElseThrow();
    }

    /** An allocation source named {@code name} that answers what {@code fetch} gives. */
    private static AllocationSource allocation(String name, Supplier<TargetAllocation> fetch) {
        return new AllocationSource() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public TargetAllocation fetch() {
                return fetch.get();
            }
        };
    }

    private static boolean gldOrdered(Harness h) {
        return h.exchange.orderLog().stream().anyMatch(o -> o.spec().symbol().equals(GLD));
    }

    @Test
    void staleLiveQuoteIsReplacedByTheDelayedFeedAndTheRunSaysSo() {
        try (Harness h = new Harness(dir, staleGldQuotes())) {
            h.marketData = chain(h, true);

            RebalanceOutcome outcome = h.engine().rebalance(Harness.ACCOUNT, null, ProgressListener.NONE);

            assertThat(outcome.status()).isEqualTo(TransactionStatus.COMPLETED);
            assertThat(outcome.plan().degraded()).singleElement().satisfies(q -> {
                assertThat(q.symbol()).isEqualTo(GLD);
                assertThat(q.source()).isEqualTo(PaperMarketData.DELAYED);
            });
            assertThat(outcome.plan().describe()).contains("Priced on fallback data (DEGRADED) GLD: delayed quote");
            assertThat(outcome.notes()).contains("priced on fallback data: GLD (delayed)");
            assertThat(gldOrdered(h)).isTrue();
            PlanInputsRecorded.Price gld = inputs(h, outcome.txId()).price("GLD");
            assertThat(gld.trust()).isEqualTo(Trust.DEGRADED);
            assertThat(gld.quotedAt()).isEqualTo(gld.checkedAt().minus(Duration.ofMinutes(15)));
            assertThat(gld.problems()).containsExactly("live STALE: quote is PT10M old, more than the PT15S allowed");
            assertThat(inputs(h, outcome.txId()).price("VTI").trust()).isEqualTo(Trust.TRUSTED);
        }
    }

    @Test
    void degradedDataRefusedLeavesTheSymbolOutWithItsTypedError() {
        try (Harness h = new Harness(dir, staleGldQuotes())) {
            h.marketData = chain(h, false);

            RebalanceOutcome outcome = h.engine().rebalance(Harness.ACCOUNT, null, ProgressListener.NONE);

            assertThat(outcome.plan().skipped()).singleElement().satisfies(s -> {
                assertThat(s.symbol()).isEqualTo(GLD);
                assertThat(s.reason()).isEqualTo(SkipReason.QUOTE_STALE);
                assertThat(s.reason().code()).isEqualTo(ErrorCode.QUOTE_STALE);
            });
            assertThat(gldOrdered(h)).isFalse();
            assertThat(outcome.status()).isEqualTo(TransactionStatus.PARTIAL);
            assertThat(outcome.notes()).contains("skipped GLD: only fallback data (delayed, PT15M old)");
        }
    }

    @Test
    void wildPriceJumpIsRefusedAsAnOutlierAlsoByAFreshEngineThatRemembersNothing() {
        try (Harness h = new Harness(dir, List.of())) {
            h.marketData = chain(h, false);
            var engine = h.engine();
            assertThat(engine.rebalance(Harness.ACCOUNT, null, ProgressListener.NONE).status())
                    .isEqualTo(TransactionStatus.COMPLETED);
            int ordersBefore = h.exchange.orderLog().size();
            h.clock.advance(Duration.ofMinutes(1));
            h.exchange.setPrice(GLD, new BigDecimal("555.00"));

            for (var run : List.of(engine, h.engine())) {
                RebalanceOutcome outcome = run.rebalance(Harness.ACCOUNT, null, ProgressListener.NONE);

                assertThat(outcome.plan().skipped()).extracting(s -> s.symbol() + " " + s.reason())
                        .containsExactly("GLD QUOTE_OUTLIER");
                assertThat(outcome.plan().skipped().getFirst().detail()).contains("live OUTLIER: mid 555.0000 is "
                        + "200.00% from the last good price 185.0000, more than the 20.00% allowed");
            }
            assertThat(h.exchange.orderLog().subList(ordersBefore, h.exchange.orderLog().size()))
                    .noneMatch(o -> o.spec().symbol().equals(GLD));
        }
    }

    @Test
    void allocationServiceDownAbortsTheRunNotifiesAndSendsNothing() {
        try (Harness h = new Harness(dir, List.of())) {
            h.allocation = allocation("http://127.0.0.1:8080/alloc/main", () -> {
                throw new KeelException(ErrorCode.ALLOCATION_UNAVAILABLE, "answered HTTP 503");
            });

            RebalanceOutcome outcome = h.engine().rebalance(Harness.ACCOUNT, null, ProgressListener.NONE);

            assertThat(outcome.status()).isEqualTo(TransactionStatus.ABORTED);
            assertThat(outcome.errorCode()).isEqualTo(ErrorCode.ALLOCATION_UNAVAILABLE);
            assertThat(h.eventKinds(outcome.txId())).containsExactly("TransactionStarted", "TransactionEnded", "OrdersWorking");
            assertThat(h.exchange.orderLog()).isEmpty();
            assertThat(h.notified).singleElement().satisfies(n -> {
                assertThat(n.severity()).isEqualTo(Severity.MEDIUM);
                assertThat(n.body()).contains("answered HTTP 503");
            });
        }
    }

    @Test
    void targetsFromTheServiceAreJournaledAndARestartReconcilesAgainstThemNotAFreshAnswer() {
        try (Harness h = new Harness(dir, List.of())) {
            TargetAllocation first = TargetAllocation.builder().weight("VTI", "0.5").weight("TLT", "0.5").build();
            int[] calls = {0};
            h.allocation = allocation("http://alloc.test/main", () -> {
                if (calls[0]++ > 0) {
                    throw new KeelException(ErrorCode.ALLOCATION_INVALID, "changed its mind");
                }
                return first;
            });
            h.brokerDecorator = b -> new CrashingBroker(b, 2);
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> h.engine().rebalance(Harness.ACCOUNT, null, ProgressListener.NONE))
                    .isInstanceOf(CrashingBroker.Crash.class);

            h.reopenJournal();
            h.brokerDecorator = b -> b;
            var report = h.engine().recover();

            assertThat(report.transactions()).singleElement()
                    .satisfies(e -> assertThat(e.status()).isEqualTo(TransactionStatus.COMPLETED));
            PlanInputsRecorded inputs = inputs(h, report.transactions().get(0).txId());
            assertThat(inputs.allocationSource()).isEqualTo("http://alloc.test/main");
            assertThat(inputs.weights()).containsOnlyKeys("TLT", "VTI");
            assertThat(calls[0]).isEqualTo(1);
        }
    }
}

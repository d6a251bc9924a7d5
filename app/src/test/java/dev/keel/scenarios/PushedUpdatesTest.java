package dev.keel.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.broker.OrderUpdates;
import dev.keel.core.execution.OperationContext;
import dev.keel.core.execution.OrderResult;
import dev.keel.core.execution.TransactionLedger;
import dev.keel.core.execution.TransactionView;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import dev.keel.core.model.TimeInForce;
import dev.keel.paper.ExchangeOrderLogEntry;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fill watch with order states the broker pushes (Alpaca's trade_updates): a fill pushed while Keel waits is
 * journaled at once, without a poll; a push that is no news is ignored and the poll decides, as without a stream.
 * A limit buy of 5 TLT at 80 rests while TLT trades at 90.
 */
class PushedUpdatesTest {
    private static final Symbol TLT = Symbol.of("TLT");
    private static final OrderSpec LIMIT_BUY = OrderSpec.limit(TLT, Side.BUY, new BigDecimal("5"), new BigDecimal("80"),
            TimeInForce.GTC);

    @TempDir
    Path dir;

    /** What the stream would carry: the exchange's own record of the order, read without a broker call. */
    private static Optional<BrokerOrder> atExchange(Harness h, String cid) {
        return h.exchange.orderLog().stream().filter(o -> o.clientOrderId().equals(cid)).findFirst()
                .map(PushedUpdatesTest::order);
    }

    private static BrokerOrder order(ExchangeOrderLogEntry o) {
        return new BrokerOrder(o.brokerOrderId(), o.clientOrderId(), o.spec(), o.state(), o.filledQuantity(),
                o.filledAvgPrice(), o.createdAt(), o.updatedAt());
    }

    private static OrderResult buy(Harness h) {
        var ledger = new TransactionLedger(h.journal, new OperationContext("tx-push", Harness.ACCOUNT, "c"),
                new TransactionView());
        ledger.record(new dev.keel.core.journal.TransactionStarted("tx-push", Harness.ACCOUNT, "test_orders",
                "tx-push", List.of(), null, BigDecimal.ZERO, h.clock.instant()));
        return h.executor().execute(ledger, "buy-TLT", LIMIT_BUY, new BigDecimal("400"));
    }

    @Test
    void aFillPushedWhileKeelWaitsIsJournaledAtOnceWithoutAPoll() {
        try (Harness h = new Harness(dir, List.of())) {
            List<Duration> waits = new ArrayList<>();
            h.updates = (cid, news, max, sleeper) -> {
                waits.add(max);
                h.exchange.setPrice(TLT, new BigDecimal("79")); // the order fills at the exchange...
                return atExchange(h, cid).filter(news);         // ...and the stream says so before the wait is over
            };
            Instant start = h.clock.instant();

            OrderResult result = buy(h);

            assertThat(result.status()).isEqualTo(OrderResult.Status.SUCCESS);
            assertThat(h.orderEvents("tx-push", "buy-TLT")).containsExactly(
                    "intent BUY TLT", "broker ACCEPTED", "broker FILLED");
            assertThat(waits).as("one wait, cut short by the push").hasSize(1);
            assertThat(h.exchange.callCounts().getOrDefault("lookup", 0)).as("no poll").isZero();
            assertThat(h.clock.instant()).as("no simulated time slept").isEqualTo(start);
        }
    }

    @Test
    void aPushThatIsNoNewsIsIgnoredAndThePollFindsTheFill() {
        try (Harness h = new Harness(dir, List.of())) {
            List<String> pushed = new ArrayList<>();
            h.updates = (cid, news, max, sleeper) -> {
                Optional<BrokerOrder> stale = atExchange(h, cid); // still ACCEPTED: what Keel knows already
                stale.ifPresent(o -> pushed.add(o.state() + " news=" + news.test(o)));
                h.exchange.setPrice(TLT, new BigDecimal("79"));
                sleeper.sleep(max);
                return Optional.empty();
            };

            OrderResult result = buy(h);

            assertThat(result.status()).isEqualTo(OrderResult.Status.SUCCESS);
            assertThat(pushed).containsExactly("ACCEPTED news=false");
            assertThat(h.orderEvents("tx-push", "buy-TLT")).containsExactly(
                    "intent BUY TLT", "broker ACCEPTED", "broker FILLED");
            assertThat(h.exchange.callCounts().get("lookup")).as("the poll found the fill").isEqualTo(1);
        }
    }

    @Test
    void withoutPushesTheWatchPollsAsBefore() {
        try (Harness h = new Harness(dir, List.of())) {
            assertThat(h.updates).isSameAs(OrderUpdates.NONE);

            h.exchange.setPrice(TLT, new BigDecimal("90"));
            OrderResult result = buy(h);

            assertThat(result.status()).as("never fills at 90: cancelled at the fill timeout")
                    .isEqualTo(OrderResult.Status.FAILED);
            assertThat(h.exchange.callCounts().get("lookup")).as("polled until the fill timeout").isGreaterThan(1);
        }
    }
}

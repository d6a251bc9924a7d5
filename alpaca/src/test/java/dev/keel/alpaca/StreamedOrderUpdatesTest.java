package dev.keel.alpaca;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import dev.keel.core.model.TimeInForce;
import dev.keel.core.time.Sleeper;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The stream as the fill watch's pushed updates: a push that is news ends the wait; anything else does not. */
class StreamedOrderUpdatesTest {
    private static final Sleeper UNUSED = d -> {
        throw new AssertionError("the stream's wait is its own, on real time");
    };
    private static final Instant T = Instant.parse("2024-04-15T14:00:00Z");

    private static TradeUpdate update(String event, OrderState state, String filled, Instant at) {
        return update("tx-1:buy-TLT", event, state, filled, at);
    }

    private static TradeUpdate update(String cid, String event, OrderState state, String filled, Instant at) {
        BrokerOrder o = new BrokerOrder("b-" + cid, cid, OrderSpec.limit(Symbol.of("TLT"), Side.BUY,
                new BigDecimal("5"), new BigDecimal("80"), TimeInForce.GTC), state, new BigDecimal(filled),
                new BigDecimal("80"), T, at);
        return new TradeUpdate(event, o, at, TradeUpdate.Source.STREAM);
    }

    @Test
    void aFillPushedWhileWaitingEndsTheWaitWithIt() throws InterruptedException {
        StreamedOrderUpdates updates = new StreamedOrderUpdates();
        updates.onUpdate(update("new", OrderState.ACCEPTED, "0", T));
        CountDownLatch waiting = new CountDownLatch(1);
        Thread stream = new Thread(() -> {
            try {
                waiting.await();
            } catch (InterruptedException e) {
                return;
            }
            updates.onUpdate(update("fill", OrderState.FILLED, "5", T.plusSeconds(1)));
        });
        stream.start();

        waiting.countDown();
        // an hour's wait: only the push can end it before the test's own timeout
        Optional<BrokerOrder> pushed = updates.await("tx-1:buy-TLT", o -> o.state() == OrderState.FILLED,
                Duration.ofHours(1), UNUSED);

        assertThat(pushed).get().satisfies(o -> assertThat(o.filledQuantity()).isEqualByComparingTo("5"));
        stream.join(TimeUnit.SECONDS.toMillis(30));
    }

    /** Two fill watches of one account wait at once (a rebalance and a bracket's entry, say): each gets its own fill. */
    @Test
    void twoWatchesWaitingAtOnceEachGetTheirOwnOrdersPush() throws Exception {
        StreamedOrderUpdates updates = new StreamedOrderUpdates();
        java.util.concurrent.ExecutorService watches = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            CountDownLatch started = new CountDownLatch(2);
            var tlt = watches.submit(() -> {
                started.countDown();
                return updates.await("tx-1:buy-TLT", o -> o.state() == OrderState.FILLED, Duration.ofHours(1),
                        UNUSED);
            });
            var ief = watches.submit(() -> {
                started.countDown();
                return updates.await("tx-2:entry", o -> o.state() == OrderState.FILLED, Duration.ofHours(1), UNUSED);
            });
            started.await();

            updates.onUpdate(update("tx-2:entry", "fill", OrderState.FILLED, "3", T.plusSeconds(1)));
            assertThat(ief.get(30, TimeUnit.SECONDS)).get().extracting(BrokerOrder::clientOrderId)
                    .isEqualTo("tx-2:entry");
            assertThat(tlt.isDone()).as("the other watch waits on for its own order").isFalse();

            updates.onUpdate(update("fill", OrderState.FILLED, "5", T.plusSeconds(2)));
            assertThat(tlt.get(30, TimeUnit.SECONDS)).get().extracting(BrokerOrder::clientOrderId)
                    .isEqualTo("tx-1:buy-TLT");
        } finally {
            watches.shutdownNow();
        }
    }

    @Test
    void aPushThatIsNoNewsOrOfAnotherOrderLetsTheWaitRunOut() {
        StreamedOrderUpdates updates = new StreamedOrderUpdates();
        updates.onUpdate(update("new", OrderState.ACCEPTED, "0", T));

        assertThat(updates.await("tx-1:buy-TLT", o -> o.state() == OrderState.FILLED, Duration.ofMillis(20),
                UNUSED)).isEmpty();
        assertThat(updates.await("tx-1:sell-VTI", o -> true, Duration.ZERO, UNUSED)).isEmpty();
    }

    @Test
    void aLateBackfillDoesNotUndoAPushedFill() {
        StreamedOrderUpdates updates = new StreamedOrderUpdates();
        updates.onUpdate(update("fill", OrderState.FILLED, "5", T.plusSeconds(2)));
        updates.onUpdate(new TradeUpdate("backfill", update("new", OrderState.ACCEPTED, "0", T).order(), T,
                TradeUpdate.Source.BACKFILL));

        assertThat(updates.await("tx-1:buy-TLT", o -> true, Duration.ZERO, UNUSED)).get()
                .satisfies(o -> assertThat(o.state()).isEqualTo(OrderState.FILLED));
    }
}

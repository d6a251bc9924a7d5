package dev.keel.alpaca;

import dev.keel.core.broker.OrderUpdates;
import dev.keel.core.engine.Places;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.time.Sleeper;
import dev.keel.core.time.WaitInterrupted;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The {@code trade_updates} stream as the executor's {@link OrderUpdates}: the latest state pushed of each order (an
 * {@link OrderUpdateCache}, so a late backfill cannot undo a fill), and a wait that ends as soon as a push is news to
 * the waiting fill watch. Feed it as the stream's listener.
 *
 * <p>The stream runs on real time, so the wait does too (the caller's sleeper is not used): wire it only where the
 * executor's time is the system's, as {@code keel} commands run. With the stream down nothing is pushed, every wait
 * runs its whole length and the fill watch polls, as it does without a stream.
 */
public final class StreamedOrderUpdates implements OrderUpdates, TradeUpdateListener {
    private final OrderUpdateCache cache = new OrderUpdateCache();

    @Override
    public void onUpdate(TradeUpdate update) {
        cache.onUpdate(update);
        synchronized (this) {
            notifyAll();
        }
    }

    @Override
    public Optional<BrokerOrder> await(String clientOrderId, Predicate<BrokerOrder> news, Duration max,
                                       Sleeper sleeper) {
        long deadline = System.nanoTime() + Math.max(0, max.toNanos());
        // a wait like the sleeper's: a recovering account gives its place to the next while it lasts
        return Places.away(() -> awaitUntil(clientOrderId, news, deadline, max));
    }

    private synchronized Optional<BrokerOrder> awaitUntil(String clientOrderId, Predicate<BrokerOrder> news,
                                                         long deadline, Duration max) {
        while (true) {
            // checked under the lock a push must take to wake us: none is missed between the look and the wait
            Optional<BrokerOrder> pushed = cache.latest(clientOrderId).filter(news);
            long left = deadline - System.nanoTime();
            if (pushed.isPresent() || left <= 0) {
                return pushed;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WaitInterrupted("waiting " + max + " for a pushed state of " + clientOrderId, e);
            }
        }
    }
}

package dev.keel.core.broker;

import dev.keel.core.model.BrokerOrder;
import dev.keel.core.time.Sleeper;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Order states a broker pushes (Alpaca's {@code trade_updates}), offered to the executor's fill watch so that a fill
 * is journaled when it is pushed instead of at the next poll. An accelerator only: polling by client order id stays
 * the source of truth and the fallback when nothing is pushed (the stream is down, slow, or there is none), and the
 * absence of a pushed state says nothing about the order (law 4).
 */
@FunctionalInterface
public interface OrderUpdates {
    /** Nothing is pushed: the watch sleeps its poll interval on its sleeper, then polls. */
    OrderUpdates NONE = (clientOrderId, news, max, sleeper) -> {
        sleeper.sleep(max);
        return Optional.empty();
    };

    /**
     * Waits at most {@code max} for a pushed state of the order that {@code news} accepts, and returns it as soon as
     * there is one (at once when one is already there); empty when none came in time, and the caller polls.
     *
     * @param clientOrderId Keel's id of the order (a leg's own id for a leg)
     * @param news          whether a pushed state is news to the caller (it moves the order forward)
     * @param sleeper       how the caller waits otherwise (law 11); an implementation fed by a real-time stream waits
     *                      on its pushes instead, and is only wired where the caller's time is real
     */
    Optional<BrokerOrder> await(String clientOrderId, Predicate<BrokerOrder> news, Duration max, Sleeper sleeper);
}

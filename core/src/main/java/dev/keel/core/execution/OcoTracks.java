package dev.keel.core.execution;

import dev.keel.core.model.OrderState;

/**
 * Both legs of a one-cancels-other pair as the journal has them after {@link OrderExecutor#placeOco}.
 *
 * @param takeProfit the limit leg, client id {@code <txId>:<leg>}
 * @param stopLoss   the stop leg, client id {@code <txId>:<leg>:sl}
 */
public record OcoTracks(OrderTrack takeProfit, OrderTrack stopLoss) {

    /** True when the broker holds both legs (working, or already filled). */
    public boolean placed() {
        return held(takeProfit.state()) && held(stopLoss.state());
    }

    private static boolean held(OrderState s) {
        return s.isLive() || s == OrderState.FILLED;
    }
}

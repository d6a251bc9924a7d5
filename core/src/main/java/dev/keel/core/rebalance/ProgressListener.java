package dev.keel.core.rebalance;

import dev.keel.core.execution.OrderResult;
import dev.keel.core.model.PlannedOrder;

/** Hears a rebalance's progress, for a progress display; every method defaults to doing nothing. */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() {
    };

    default void planned(RebalancePlan plan) {
    }

    default void orderStarted(PlannedOrder order) {
    }

    default void orderFinished(OrderResult result) {
    }
}

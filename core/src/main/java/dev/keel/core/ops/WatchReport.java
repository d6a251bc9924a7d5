package dev.keel.core.ops;

import java.util.List;

/**
 * What one pass of the {@link ProtectionWatch} did for an account.
 *
 * @param ordersChanged the working orders of ended transactions whose state or fill the pass journaled
 * @param liveLinks     the protective links live when the pass began
 * @param unlinked      links the pass ended without acting on an order, one line each: {@code <tx>/<link>: reason}
 * @param enforcements  the OCO_ENFORCEMENT operations the pass ran, in order
 * @param note          why the pass stopped short (the broker could not be read), or null
 */
public record WatchReport(String accountId, int ordersChanged, int liveLinks, List<String> unlinked,
                          List<OperationOutcome> enforcements, String note) {
    public WatchReport {
        unlinked = List.copyOf(unlinked);
        enforcements = List.copyOf(enforcements);
    }

    /** True when the pass neither journaled nor sent anything. */
    public boolean quiet() {
        return ordersChanged == 0 && unlinked.isEmpty() && enforcements.isEmpty();
    }
}

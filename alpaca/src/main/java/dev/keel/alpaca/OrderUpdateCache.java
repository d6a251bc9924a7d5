package dev.keel.alpaca;

import dev.keel.core.model.BrokerOrder;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest state of every order the stream or its backfill reported, by Keel's client id: what a fill watch may
 * consult before it polls. An accelerator only: polling by client id stays the source of truth, and an order absent
 * here says nothing (law 4). A report older than the one held is ignored, so a late backfill cannot undo a fill.
 */
public final class OrderUpdateCache implements TradeUpdateListener {
    private final Map<String, BrokerOrder> byClientId = new ConcurrentHashMap<>();

    @Override
    public void onUpdate(TradeUpdate update) {
        BrokerOrder order = update.order();
        byClientId.merge(order.clientOrderId(), order, (held, next) -> newer(next, held) ? next : held);
    }

    /** The latest state reported of the order with Keel's id {@code clientOrderId}; empty when none was. */
    public Optional<BrokerOrder> latest(String clientOrderId) {
        return Optional.ofNullable(byClientId.get(clientOrderId));
    }

    /** The creation time of the oldest order still live, or null: a backfill must reach back to it. */
    public Instant oldestLive() {
        return byClientId.values().stream().filter(o -> o.state().isLive() && o.createdAt() != null)
                .map(BrokerOrder::createdAt).min(Comparator.naturalOrder()).orElse(null);
    }

    private static boolean newer(BrokerOrder next, BrokerOrder held) {
        if (held.state().isTerminal() && !next.state().isTerminal()) {
            return false;
        }
        if (next.updatedAt() == null || held.updatedAt() == null) {
            return next.filledQuantity().compareTo(held.filledQuantity()) >= 0;
        }
        return !next.updatedAt().isBefore(held.updatedAt());
    }
}

package dev.keel.paper;

import dev.keel.core.broker.Broker;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A second connection to a {@link PaperExchange}, e.g. a backup endpoint: the same accounts, orders and prices, its
 * own seeded fault plan (the exchange's plan does not apply to it). Made by {@link PaperExchange#endpoint}; its fault
 * counters and records live in memory, not in the state file.
 */
public final class PaperEndpoint {
    private final PaperExchange exchange;
    private final String name;
    private final FaultPlan plan;
    /** Guarded by the exchange's lock. */
    private final List<FaultRecord> fired = new ArrayList<>();
    /** Guarded by the exchange's lock. */
    private final EnumMap<BrokerCall, Integer> counts = new EnumMap<>(BrokerCall.class);

    PaperEndpoint(PaperExchange exchange, String name, FaultPlan plan) {
        this.exchange = exchange;
        this.name = name;
        this.plan = plan;
    }

    public String name() {
        return name;
    }

    /** The broker view of an account through this endpoint. */
    public Broker broker(String accountId) {
        return exchange.broker(accountId, this);
    }

    /** Every fault of this endpoint's plan that fired, in order; {@code ruleIndex} points into that plan. */
    public List<FaultRecord> faultsFired() {
        return exchange.locked(() -> List.copyOf(fired));
    }

    /** How many calls each operation received through this endpoint, by kebab-case name. */
    public Map<String, Integer> callCounts() {
        return exchange.locked(() -> {
            Map<String, Integer> byName = new TreeMap<>();
            counts.forEach((op, n) -> byName.put(op.wire(), n));
            return byName;
        });
    }

    FaultPlan plan() {
        return plan;
    }

    void recordFault(FaultRecord record) {
        fired.add(record);
    }

    void count(BrokerCall op) {
        counts.merge(op, 1, Integer::sum);
    }
}

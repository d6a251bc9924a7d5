package dev.keel.app.bench;

import dev.keel.core.model.Symbol;
import dev.keel.core.rebalance.RebalanceAccount;
import dev.keel.core.rebalance.TargetAllocation;
import dev.keel.core.risk.RiskLimits;
import dev.keel.paper.PaperConfig;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The account every benchmark rebalances: the demo's drifted All-Weather portfolio (cash $10,000, VTI 50, TLT 10)
 * brought to VTI 30%, TLT 40%, IEF 15%, GLD 7.5%, DBC 7.5%: one sell and four buys.
 */
final class Portfolio {
    static final BigDecimal CASH = new BigDecimal("10000.00");
    static final Map<String, BigDecimal> POSITIONS = Map.of("VTI", new BigDecimal("50"), "TLT", new BigDecimal("10"));
    static final Map<String, BigDecimal> PRICES = new TreeMap<>(Map.of("VTI", new BigDecimal("250.00"),
            "TLT", new BigDecimal("90.00"), "IEF", new BigDecimal("95.00"), "GLD", new BigDecimal("185.00"),
            "DBC", new BigDecimal("22.00")));
    static final Map<String, String> TARGETS = new TreeMap<>(Map.of("VTI", "0.30", "TLT", "0.40", "IEF", "0.15",
            "GLD", "0.075", "DBC", "0.075"));
    /** Orders each rebalance of this portfolio sends. */
    static final int ORDERS_PER_ACCOUNT = 5;

    private Portfolio() {
    }

    /** {@code a00001}, {@code a00002}...: sortable ids. */
    static List<String> accountIds(int count) {
        List<String> ids = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            ids.add(String.format("a%05d", i));
        }
        return ids;
    }

    static TargetAllocation target() {
        TargetAllocation.Builder b = TargetAllocation.builder();
        TARGETS.forEach(b::weight);
        return b.build();
    }

    static RebalanceAccount account(String id) {
        return new RebalanceAccount(id, target(), RiskLimits.DEFAULTS);
    }

    /** An in-memory exchange (no state file) with zero latency and no faults; every new account starts drifted. */
    static PaperConfig inMemoryExchange(long seed) {
        PaperConfig.Builder b = PaperConfig.builder().seed(seed).startingCash(CASH).fixedPrices();
        POSITIONS.forEach((s, q) -> b.startingPosition(Symbol.of(s), q));
        PRICES.forEach((s, p) -> b.price(Symbol.of(s), p));
        return b.build();
    }
}

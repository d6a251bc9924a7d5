package dev.keel.app.intake;

import dev.keel.app.allocation.HttpAllocationSource;
import dev.keel.app.config.AccountConfig;
import dev.keel.app.config.AllocationSettings;
import dev.keel.app.config.KeelConfig;
import dev.keel.core.allocation.AllocationValidator;
import dev.keel.core.events.Event;
import dev.keel.core.model.Symbol;
import dev.keel.core.rebalance.RebalanceAccount;
import dev.keel.core.rebalance.TargetAllocation;
import dev.keel.core.risk.RiskLimits;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeSet;

/**
 * The account a rebalance event runs on: the configured one, or the same account (drift threshold, minimum trade,
 * cash buffer, risk limits) with the event's own weights or allocation service.
 */
public final class EventTargets {
    private final KeelConfig config;
    private final RiskLimits risk;

    public EventTargets(KeelConfig config, RiskLimits risk) {
        this.config = config;
        this.risk = risk;
    }

    /** What to run {@code event} on; null for the account as configured. The caller closes {@link Run}. */
    public Run account(Event event) {
        AccountConfig a = config.account(event.accountId()).orElseThrow();
        if (event.hasTargets()) {
            TargetAllocation.Builder target = TargetAllocation.builder().driftThreshold(a.driftThreshold())
                    .minTrade(a.minTrade()).cashBuffer(a.cashBuffer());
            for (Map.Entry<String, BigDecimal> w : event.targets().entrySet()) {
                target.weight(Symbol.of(w.getKey()), w.getValue());
            }
            return new Run(new RebalanceAccount(a.id(), target.build(), risk), null);
        }
        if (event.allocationUrl() != null) {
            TreeSet<Symbol> universe = new TreeSet<>();
            if (a.allocation() != null) {
                a.allocation().symbols().forEach(s -> universe.add(Symbol.of(s)));
            } else {
                a.targets().keySet().forEach(s -> universe.add(Symbol.of(s)));
            }
            HttpAllocationSource http = new HttpAllocationSource(a.id(), event.allocationUrl(),
                    AllocationSettings.DEFAULT_TIMEOUT, new AllocationValidator(a.driftThreshold(), a.minTrade(),
                    a.cashBuffer(), universe));
            return new Run(new RebalanceAccount(a.id(), null, risk, http), http);
        }
        return new Run(null, null);
    }

    /** The account to run on (null: as configured) and the client to close after the run. */
    public record Run(RebalanceAccount account, AutoCloseable client) implements AutoCloseable {
        @Override
        public void close() {
            if (client != null) {
                try {
                    client.close();
                } catch (Exception e) {
                    // a client that does not close cleanly leaves nothing behind that matters
                }
            }
        }
    }
}

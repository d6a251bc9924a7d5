package dev.keel.app.bench;

import java.util.stream.Collectors;

/**
 * The configuration of the recovery benchmark: N accounts of the {@link Portfolio} on a paper exchange with a state
 * file, paths relative to the working folder so a copy of the folder is a copy of the installation.
 */
final class RecoveryConfig {
    /** The buy that hangs: after the VTI sell and the DBC and GLD buys filled, before the TLT buy. */
    static final String HANGING_SYMBOL = "IEF";

    private RecoveryConfig() {
    }

    /** @param hanging whether every submit of {@link #HANGING_SYMBOL} hangs for an hour */
    static String yaml(int accounts, boolean hanging) {
        String targets = inline(Portfolio.TARGETS.entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", ")));
        StringBuilder y = new StringBuilder();
        y.append("journal: sqlite:keel.db\n");
        y.append("broker:\n  kind: paper\n  paper:\n    state: paper.db\n    seed: 42\n");
        y.append("    cash: ").append(Portfolio.CASH.toPlainString()).append('\n');
        y.append("    positions: ").append(inline(Portfolio.POSITIONS.entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .map(e -> e.getKey() + ": " + e.getValue().toPlainString()).collect(Collectors.joining(", "))))
                .append('\n');
        y.append("    prices: ").append(inline(Portfolio.PRICES.entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue().toPlainString()).collect(Collectors.joining(", "))))
                .append('\n');
        y.append("    faults: [").append(hanging ? " { op: submit, kind: slow, delay: 1h, symbol: " + HANGING_SYMBOL
                + " } " : "").append("]\n");
        y.append("accounts:\n");
        for (String id : Portfolio.accountIds(accounts)) {
            y.append("  - id: ").append(id).append("\n    targets: ").append(targets).append('\n');
        }
        // Every account hangs inside one submit at once: the broker's bulkhead (8 calls by default) must let them
        // all in, or all but 8 are refused and the N in flight this benchmark needs never happen.
        y.append("resilience: { bulkhead: { max-concurrent: ").append(accounts + 8).append(" } }\n");
        y.append("notifications: [ { kind: file, path: notifications.log } ]\n");
        return y.toString();
    }

    private static String inline(String entries) {
        return "{ " + entries + " }";
    }
}

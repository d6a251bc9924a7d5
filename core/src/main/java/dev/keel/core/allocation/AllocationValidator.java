package dev.keel.core.allocation;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.model.Symbol;
import dev.keel.core.rebalance.TargetAllocation;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns an allocation a service sent into a {@link TargetAllocation}, or refuses it whole with every problem named:
 * symbols valid (and in the allowed universe when one is given), no symbol twice, each weight in (0, 1], the sum 1
 * within {@link TargetAllocation#WEIGHT_TOLERANCE}, at most {@link #MAX_ENTRIES} lines. The drift threshold,
 * minimum trade and cash buffer come from the configuration, not from the service.
 */
public final class AllocationValidator {
    /** The most lines an allocation may have: 500. */
    public static final int MAX_ENTRIES = 500;

    private final BigDecimal driftThreshold;
    private final BigDecimal minTrade;
    private final BigDecimal cashBuffer;
    private final SortedSet<Symbol> universe;

    /**
     * @param universe the symbols an allocation may name; empty allows every valid symbol
     */
    public AllocationValidator(BigDecimal driftThreshold, BigDecimal minTrade, BigDecimal cashBuffer,
                               Set<Symbol> universe) {
        this.driftThreshold = Objects.requireNonNull(driftThreshold, "driftThreshold");
        this.minTrade = Objects.requireNonNull(minTrade, "minTrade");
        this.cashBuffer = Objects.requireNonNull(cashBuffer, "cashBuffer");
        this.universe = new TreeSet<>(universe);
        // Checked now, with a placeholder weight, so bad rules fail at start-up rather than at the first fetch.
        TargetAllocation.builder().weight(Symbol.of("X"), BigDecimal.ONE).driftThreshold(driftThreshold)
                .minTrade(minTrade).cashBuffer(cashBuffer).build();
    }

    /**
     * The allocation, or {@link ErrorCode#ALLOCATION_INVALID} naming {@code source} and every problem found.
     */
    public TargetAllocation validate(String source, List<AllocationEntry> entries) {
        List<String> problems = new ArrayList<>();
        if (entries.isEmpty()) {
            problems.add("the allocation names no symbol");
        }
        if (entries.size() > MAX_ENTRIES) {
            problems.add("the allocation has " + entries.size() + " lines, more than the " + MAX_ENTRIES + " allowed");
        }
        TreeMap<Symbol, BigDecimal> weights = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        BigDecimal sum = BigDecimal.ZERO;
        for (AllocationEntry e : entries.subList(0, Math.min(entries.size(), MAX_ENTRIES))) {
            Symbol symbol = symbol(e.symbol(), problems);
            if (e.symbol() != null && !seen.add(e.symbol())) {
                problems.add("symbol " + e.symbol() + " appears more than once");
            }
            if (e.weight() == null) {
                problems.add("weight of " + e.symbol() + " is missing");
                continue;
            }
            if (e.weight().signum() <= 0 || e.weight().compareTo(BigDecimal.ONE) > 0) {
                problems.add("weight of " + e.symbol() + " must be in (0, 1], but was " + e.weight().toPlainString());
            }
            sum = sum.add(e.weight());
            if (symbol != null) {
                weights.put(symbol, e.weight());
            }
        }
        if (!entries.isEmpty() && sum.subtract(BigDecimal.ONE).abs().compareTo(TargetAllocation.WEIGHT_TOLERANCE) > 0) {
            problems.add("weights must sum to 1 (within " + TargetAllocation.WEIGHT_TOLERANCE.toPlainString()
                    + "), but sum to " + sum.toPlainString());
        }
        if (!problems.isEmpty()) {
            throw new KeelException(ErrorCode.ALLOCATION_INVALID, source + ": " + String.join("; ", problems));
        }
        return TargetAllocation.builder().weights(weights).driftThreshold(driftThreshold).minTrade(minTrade)
                .cashBuffer(cashBuffer).build();
    }

    private Symbol symbol(String text, List<String> problems) {
        if (text == null) {
            problems.add("a line has no symbol");
            return null;
        }
        Symbol symbol;
        try {
            symbol = Symbol.of(text);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return null;
        }
        if (!universe.isEmpty() && !universe.contains(symbol)) {
            problems.add("symbol " + text + " is not one of the allowed symbols " + universe);
            return null;
        }
        return symbol;
    }
}

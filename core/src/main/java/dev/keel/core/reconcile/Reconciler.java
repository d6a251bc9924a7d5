package dev.keel.core.reconcile;

import dev.keel.core.execution.OrderTrack;
import dev.keel.core.journal.ReconciliationRecorded;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.Money;
import dev.keel.core.model.Position;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares the broker's account after a transaction with what the journal says happened: per symbol, the weight
 * against the target (drift), and the quantity against the holding before plus what filled (agreement).
 */
public final class Reconciler {
    /** Quantities closer than this are equal: fractional shares carry 9 decimals. */
    static final BigDecimal QUANTITY_TOLERANCE = new BigDecimal("0.000001");
    /** Cash closer than this is equal: per-fill rounding at the broker may differ from Keel's by cents. */
    static final BigDecimal CASH_TOLERANCE = new BigDecimal("1.00");

    private Reconciler() {
    }

    /** The holdings {@code before} plus every fill of {@code orders}: what the broker should hold afterwards. */
    static Map<Symbol, BigDecimal> expectedQuantities(AccountSnapshot before, List<OrderTrack> orders) {
        Map<Symbol, BigDecimal> expected = new TreeMap<>();
        for (Position p : before.positions()) {
            expected.put(p.symbol(), p.quantity());
        }
        for (OrderTrack o : orders) {
            BigDecimal signed = o.spec().side() == Side.BUY ? o.filledQuantity() : o.filledQuantity().negate();
            expected.merge(o.spec().symbol(), signed, BigDecimal::add);
        }
        return expected;
    }

    /** One line per symbol whose quantity at the broker differs from {@code expected}. */
    static List<String> quantityDifferences(Map<Symbol, BigDecimal> expected, AccountSnapshot actual) {
        List<String> differences = new ArrayList<>();
        TreeSet<Symbol> symbols = new TreeSet<>(expected.keySet());
        actual.positions().forEach(p -> symbols.add(p.symbol()));
        for (Symbol s : symbols) {
            BigDecimal want = expected.getOrDefault(s, BigDecimal.ZERO);
            BigDecimal have = actual.quantity(s);
            if (want.subtract(have).abs().compareTo(QUANTITY_TOLERANCE) > 0) {
                differences.add(s + ": the journal expects " + want.stripTrailingZeros().toPlainString()
                        + " shares, the broker holds " + have.stripTrailingZeros().toPlainString());
            }
        }
        return differences;
    }

    /**
     * @param targets        target weights by symbol
     * @param driftThreshold the largest |actual - target| weight that counts as on target
     * @param before         the account when the transaction was planned
     * @param orders         the transaction's orders as the journal knows them
     * @param after          the account now
     */
    public static Reconciliation reconcile(Map<Symbol, BigDecimal> targets, BigDecimal driftThreshold,
                                           AccountSnapshot before, List<OrderTrack> orders, AccountSnapshot after) {
        Map<Symbol, BigDecimal> expected = expectedQuantities(before, orders);
        BigDecimal expectedCash = before.cash();
        for (OrderTrack o : orders) {
            BigDecimal cash = o.filledNotional();
            expectedCash = o.spec().side() == Side.BUY ? expectedCash.subtract(cash) : expectedCash.add(cash);
        }
        List<String> mismatches = quantityDifferences(expected, after);
        if (expectedCash.subtract(after.cash()).abs().compareTo(CASH_TOLERANCE) > 0) {
            mismatches.add("cash: journal expects " + Money.cash(expectedCash).toPlainString() + ", broker has "
                    + Money.cash(after.cash()).toPlainString());
        }

        TreeSet<Symbol> weighted = new TreeSet<>(targets.keySet());
        after.positions().forEach(p -> weighted.add(p.symbol()));
        BigDecimal equity = after.equity();
        List<ReconciliationRecorded.Line> lines = new ArrayList<>();
        boolean within = true;
        for (Symbol s : weighted) {
            BigDecimal value = after.position(s).map(Position::marketValue).orElse(BigDecimal.ZERO);
            BigDecimal actual = Money.ratio(value, equity);
            BigDecimal target = targets.getOrDefault(s, BigDecimal.ZERO);
            BigDecimal drift = actual.subtract(target);
            if (drift.abs().compareTo(driftThreshold) > 0) {
                within = false;
            }
            lines.add(new ReconciliationRecorded.Line(s.value(), target, actual, drift, after.quantity(s), value));
        }
        return new Reconciliation(lines, within, mismatches);
    }
}

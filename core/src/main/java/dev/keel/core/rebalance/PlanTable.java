package dev.keel.core.rebalance;

import dev.keel.core.marketdata.CheckedQuote;
import dev.keel.core.model.Money;
import dev.keel.core.model.PlannedOrder;
import dev.keel.core.model.Symbol;
import java.math.BigDecimal;
import java.util.Locale;

/** Renders a {@link RebalancePlan} as a fixed-width text table. */
final class PlanTable {
    private static final String ROW = "%-10s %14s %10s %13s %8s %8s %9s  %s";

    private PlanTable() {
    }

    static String render(RebalancePlan plan) {
        StringBuilder out = new StringBuilder();
        TargetAllocation target = plan.target();
        out.append(String.format(Locale.ROOT, "Rebalance plan for %s as of %s\n", plan.accountId(), plan.asOf()));
        out.append(String.format(Locale.ROOT,
                "Equity $%s, cash $%s, investable $%s (cash buffer %s), drift threshold %s, min trade $%s\n",
                money(plan.equity()), money(plan.cash()), money(plan.investable()), percent(target.cashBuffer()),
                percent(target.driftThreshold()), money(target.minTrade())));
        row(out, "SYMBOL", "QTY", "PRICE", "VALUE", "WEIGHT", "TARGET", "DRIFT", "ACTION");
        for (RebalancePlan.Line line : plan.lines()) {
            row(out, line.symbol().value(), line.quantity().toPlainString(),
                    line.price().toPlainString(), money(line.currentValue()), percent(line.currentWeight()),
                    percent(line.targetWeight()), signedPercent(line.drift()), action(plan, line.symbol()));
        }
        row(out, "CASH", "", "", money(plan.cash()), percent(Money.ratio(plan.cash(), plan.equity())),
                percent(target.cashBuffer()), "", "");
        out.append(String.format(Locale.ROOT, "Rebalance needed: %s; sells $%s, buys $%s, turnover %s\n",
                plan.rebalanceNeeded() ? "yes" : "no", money(plan.totalSells()), money(plan.totalBuys()),
                percent(plan.turnover())));
        for (Skipped s : plan.skipped()) {
            out.append(String.format(Locale.ROOT, "Skipped %s: %s (%s)\n", s.symbol(), s.detail(), s.reason()));
        }
        for (CheckedQuote q : plan.degraded()) {
            out.append(String.format(Locale.ROOT, "Priced on fallback data (DEGRADED) %s: %s quote, %s old; %s\n",
                    q.symbol(), q.source(), q.age().truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
                    q.describeProblems()));
        }
        return out.toString();
    }

    private static void row(StringBuilder out, Object... cells) {
        out.append(String.format(Locale.ROOT, ROW, cells).stripTrailing()).append('\n');
    }

    private static String action(RebalancePlan plan, Symbol symbol) {
        for (PlannedOrder o : plan.orders()) {
            if (o.spec().symbol().equals(symbol)) {
                return o.spec().byNotional()
                        ? o.spec().side() + " $" + money(o.spec().notional())
                        : o.spec().side() + " " + o.spec().quantity().toPlainString() + " shares (~$"
                                + money(o.estimatedNotional()) + ")";
            }
        }
        for (Skipped s : plan.skipped()) {
            if (s.symbol().equals(symbol)) {
                return "skipped";
            }
        }
        return "-";
    }

    static String money(BigDecimal amount) {
        return String.format(Locale.ROOT, "%,.2f", amount);
    }

    static String percent(BigDecimal fraction) {
        return String.format(Locale.ROOT, "%.2f%%", fraction.movePointRight(2));
    }

    private static String signedPercent(BigDecimal fraction) {
        return String.format(Locale.ROOT, "%+.2f%%", fraction.movePointRight(2));
    }
}

package dev.keel.core.rebalance;

import dev.keel.core.marketdata.CheckedQuote;
import dev.keel.core.marketdata.Trust;
import dev.keel.core.model.Money;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.PlannedOrder;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a rebalance would do to an account, computed from one snapshot and one set of quotes; a value, nothing is
 * sent. Sells come before buys, and the buys are sized again on the cash the sells freed ({@link #scaleBuys}).
 *
 * @param accountId       the account
 * @param asOf            the snapshot's time
 * @param target          the allocation planned for
 * @param cash            the account's cash at planning
 * @param equity          cash plus holdings valued at quote mid (the broker's price where no usable quote)
 * @param investable      equity less the cash buffer: what the target weights divide
 * @param lines           one line per symbol held or targeted, by symbol
 * @param rebalanceNeeded whether some symbol drifted beyond the threshold, or a non-target holding is to be sold
 * @param sells           sells by symbol, legs {@code sell-SYMBOL}; empty when no rebalance is needed
 * @param buys            buys by symbol, legs {@code buy-SYMBOL}, as planned before the sells ran
 * @param skipped         trades left out, by symbol
 * @param turnover        sum of |trade| over equity
 * @param pricing         each symbol's quote as the market-data chain judged it, by symbol; empty when the plan was
 *                        made from bare quotes
 */
public record RebalancePlan(String accountId, Instant asOf, TargetAllocation target, BigDecimal cash,
                            BigDecimal equity, BigDecimal investable, List<Line> lines, boolean rebalanceNeeded,
                            List<PlannedOrder> sells, List<PlannedOrder> buys, List<Skipped> skipped,
                            BigDecimal turnover, SortedMap<Symbol, CheckedQuote> pricing) {

    public RebalancePlan {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(asOf, "asOf");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(cash, "cash");
        Objects.requireNonNull(equity, "equity");
        Objects.requireNonNull(investable, "investable");
        Objects.requireNonNull(turnover, "turnover");
        lines = List.copyOf(lines);
        sells = List.copyOf(sells);
        buys = List.copyOf(buys);
        skipped = List.copyOf(skipped);
        pricing = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(pricing));
    }

    /** A plan made from bare quotes, without the market-data chain's judgement. */
    public RebalancePlan(String accountId, Instant asOf, TargetAllocation target, BigDecimal cash, BigDecimal equity,
                         BigDecimal investable, List<Line> lines, boolean rebalanceNeeded, List<PlannedOrder> sells,
                         List<PlannedOrder> buys, List<Skipped> skipped, BigDecimal turnover) {
        this(accountId, asOf, target, cash, equity, investable, lines, rebalanceNeeded, sells, buys, skipped, turnover,
                new TreeMap<>());
    }

    /** The symbols valued and traded on a fallback source's quote (DEGRADED), by symbol. */
    public List<CheckedQuote> degraded() {
        return pricing.values().stream().filter(q -> q.trust() == Trust.DEGRADED)
                .filter(q -> line(q.symbol()).map(Line::quoted).orElse(false)).toList();
    }

    /**
     * One symbol of the plan.
     *
     * @param quantity      shares held
     * @param price         the valuation price: quote mid, or the broker's price when the quote is not usable
     * @param quoted        whether a usable quote priced it (only quoted symbols are traded)
     * @param currentValue  quantity times price
     * @param currentWeight current value over equity
     * @param targetWeight  the configured weight, zero for a symbol held but not targeted
     * @param targetValue   target weight times investable equity
     * @param drift         current weight minus target weight
     */
    public record Line(Symbol symbol, BigDecimal quantity, BigDecimal price, boolean quoted, BigDecimal currentValue,
                       BigDecimal currentWeight, BigDecimal targetWeight, BigDecimal targetValue, BigDecimal drift) {
    }

    /** Sells then buys: the order they are sent in. */
    public List<PlannedOrder> orders() {
        List<PlannedOrder> all = new ArrayList<>(sells);
        all.addAll(buys);
        return List.copyOf(all);
    }

    public Optional<Line> line(Symbol symbol) {
        return lines.stream().filter(l -> l.symbol().equals(symbol)).findFirst();
    }

    /** The cash the buffer holds back: equity less investable. */
    public BigDecimal cashReserve() {
        return equity.subtract(investable);
    }

    /** What buys may spend out of the broker's cash: that cash less the reserve, never below zero. */
    public BigDecimal spendable(BigDecimal brokerCash) {
        return Money.cashFloor(brokerCash.subtract(cashReserve()).max(BigDecimal.ZERO));
    }

    /** Estimated proceeds of the sells, at the bid. */
    public BigDecimal totalSells() {
        return sum(sells);
    }

    /** Planned cost of the buys, at the ask. */
    public BigDecimal totalBuys() {
        return sum(buys);
    }

    /**
     * Sizes the buys on the cash actually available (law 5): unchanged when they fit, otherwise every buy scaled by
     * the same factor and rounded down to cents, dropping those that fall below the minimum trade.
     *
     * @param cashAvailable what the buys may spend, e.g. {@link #spendable} of the broker's cash after the sells
     */
    public BuySizing scaleBuys(BigDecimal cashAvailable) {
        BigDecimal available = Money.cashFloor(cashAvailable.max(BigDecimal.ZERO));
        BigDecimal total = totalBuys();
        if (total.compareTo(available) <= 0) {
            return new BuySizing(available, BigDecimal.ONE, buys, List.of());
        }
        // Rounded down so no buy, and no sum of buys, exceeds the cash.
        BigDecimal scale = available.divide(total, 10, RoundingMode.DOWN);
        List<PlannedOrder> scaled = new ArrayList<>();
        List<Skipped> dropped = new ArrayList<>();
        for (PlannedOrder buy : buys) {
            BigDecimal notional = Money.cashFloor(buy.estimatedNotional().multiply(scale));
            Symbol symbol = buy.spec().symbol();
            if (Skipped.isBelowMinTrade(notional, target.minTrade())) {
                dropped.add(Skipped.belowMinTrade(symbol, Side.BUY, notional, target.minTrade()));
            } else {
                scaled.add(new PlannedOrder(buy.leg(), OrderSpec.marketNotional(symbol, Side.BUY, notional), notional));
            }
        }
        return new BuySizing(available, scale, scaled, dropped);
    }

    /** A table for humans: one row per symbol, then the orders and what was skipped. */
    public String describe() {
        return PlanTable.render(this);
    }

    static BigDecimal sum(List<PlannedOrder> orders) {
        BigDecimal total = BigDecimal.ZERO.setScale(Money.CASH_SCALE);
        for (PlannedOrder o : orders) {
            total = total.add(o.estimatedNotional());
        }
        return total;
    }
}

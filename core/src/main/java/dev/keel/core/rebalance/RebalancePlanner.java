package dev.keel.core.rebalance;

import dev.keel.core.marketdata.CheckedQuote;
import dev.keel.core.marketdata.Trust;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.Money;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.PlannedOrder;
import dev.keel.core.model.Position;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Computes a {@link RebalancePlan}: how far each symbol drifted from its target weight and, when any drifted beyond
 * the threshold, the sells and buys that bring every symbol back.
 *
 * <p>Holdings are valued at quote mid. Sells are sized on the bid and buys on the ask, so the plan never counts
 * on more cash than the trades will free or spend less than they cost. A symbol without a usable quote is valued
 * at the broker's price, listed as skipped with its catalog code and not traded: an order is never sized on data
 * Keel does not trust.
 */
public final class RebalancePlanner {
    private final Duration maxQuoteAge;

    /** A planner that accepts quotes of any age (the broker's own staleness rules apply). */
    public RebalancePlanner() {
        this.maxQuoteAge = null;
    }

    /**
     * A planner that skips quotes taken more than {@code maxQuoteAge} before the account snapshot.
     *
     * @param maxQuoteAge the oldest a quote may be, relative to {@link AccountSnapshot#asOf()}
     */
    public RebalancePlanner(Duration maxQuoteAge) {
        Objects.requireNonNull(maxQuoteAge, "maxQuoteAge");
        if (maxQuoteAge.isNegative() || maxQuoteAge.isZero()) {
            throw new IllegalArgumentException("maxQuoteAge must be positive, but was " + maxQuoteAge);
        }
        this.maxQuoteAge = maxQuoteAge;
    }

    /** Plans on bare quotes: each is used when present, positive, not crossed and young enough. */
    public RebalancePlan plan(AccountSnapshot account, Map<Symbol, Quote> quotes, TargetAllocation target) {
        return plan(account, quotes, Map.of(), target, Map.of());
    }

    /**
     * Plans on quotes the market-data chain judged: a TRUSTED quote is used, a DEGRADED one only when
     * {@code allowDegraded}, and every other symbol is skipped with the code of its most telling failed check
     * (QUOTE_MISSING, QUOTE_STALE or QUOTE_OUTLIER). The plan keeps every judgement in {@link RebalancePlan#pricing()}.
     */
    public RebalancePlan plan(AccountSnapshot account, Map<Symbol, CheckedQuote> checked, TargetAllocation target,
                              boolean allowDegraded) {
        Map<Symbol, Quote> quotes = new TreeMap<>();
        Map<Symbol, Skipped> refused = new TreeMap<>();
        checked.forEach((symbol, q) -> {
            if (q.usable(allowDegraded)) {
                quotes.put(symbol, q.quote());
            } else {
                refused.put(symbol, refusal(q));
            }
        });
        return plan(account, quotes, refused, target, checked);
    }

    private static Skipped refusal(CheckedQuote q) {
        String detail = q.trust() == Trust.DEGRADED
                ? "only fallback data (" + q.source() + ", " + q.age().truncatedTo(ChronoUnit.MILLIS)
                        + " old) and market-data.allow-degraded is"
                        + " false: " + q.describeProblems()
                : "no trusted quote: " + q.describeProblems();
        return new Skipped(q.symbol(), SkipReason.of(q.code()), null, null, detail);
    }

    private RebalancePlan plan(AccountSnapshot account, Map<Symbol, Quote> quotes, Map<Symbol, Skipped> refused,
                               TargetAllocation target, Map<Symbol, CheckedQuote> pricing) {
        SortedSet<Symbol> symbols = new TreeSet<>(target.weights().keySet());
        for (Position p : account.positions()) {
            if (p.quantity().signum() > 0) {
                symbols.add(p.symbol());
            }
        }

        List<Skipped> skipped = new ArrayList<>();
        Map<Symbol, Quote> usable = new TreeMap<>();
        Map<Symbol, BigDecimal> values = new TreeMap<>();
        Map<Symbol, BigDecimal> prices = new TreeMap<>();
        BigDecimal equity = account.cash();
        for (Symbol s : symbols) {
            Quote quote = quotes.get(s);
            Skipped problem = refused.containsKey(s) ? refused.get(s) : quoteProblem(s, quote, account);
            BigDecimal price;
            if (problem == null) {
                usable.put(s, quote);
                price = quote.mid();
            } else {
                skipped.add(problem);
                price = account.position(s).map(Position::marketPrice).orElse(BigDecimal.ZERO);
            }
            BigDecimal value = Money.cash(account.quantity(s).multiply(price));
            prices.put(s, price);
            values.put(s, value);
            equity = equity.add(value);
        }
        equity = Money.cash(equity);
        BigDecimal investable = Money.cash(equity.multiply(BigDecimal.ONE.subtract(target.cashBuffer())));

        List<RebalancePlan.Line> lines = new ArrayList<>();
        boolean needed = false;
        for (Symbol s : symbols) {
            BigDecimal weight = target.weight(s);
            BigDecimal currentWeight = Money.ratio(values.get(s), equity);
            BigDecimal drift = currentWeight.subtract(weight);
            lines.add(new RebalancePlan.Line(s, account.quantity(s), prices.get(s), usable.containsKey(s),
                    values.get(s), currentWeight, weight, Money.cash(weight.multiply(investable)), drift));
            needed |= drift.abs().compareTo(target.driftThreshold()) > 0;
            // A holding dropped from the targets is sold whatever its weight: the user asked for it gone.
            needed |= !target.isTarget(s) && usable.containsKey(s)
                    && !Skipped.isBelowMinTrade(wholeSellValue(account.quantity(s), usable.get(s)), target.minTrade());
        }

        List<PlannedOrder> sells = new ArrayList<>();
        List<PlannedOrder> buys = new ArrayList<>();
        if (needed) {
            for (RebalancePlan.Line line : lines) {
                Quote quote = usable.get(line.symbol());
                if (quote != null) {
                    trade(line, quote, target, sells, buys, skipped);
                }
            }
        }
        skipped.sort((a, b) -> a.symbol().compareTo(b.symbol()));
        BigDecimal traded = RebalancePlan.sum(sells).add(RebalancePlan.sum(buys));
        return new RebalancePlan(account.accountId(), account.asOf(), target, account.cash(), equity, investable,
                lines, needed, sells, buys, skipped, Money.ratio(traded, equity), new TreeMap<>(pricing));
    }

    private Skipped quoteProblem(Symbol symbol, Quote quote, AccountSnapshot account) {
        if (quote == null) {
            return new Skipped(symbol, SkipReason.QUOTE_MISSING, null, null, "no quote");
        }
        if (!quote.isSane()) {
            return new Skipped(symbol, SkipReason.QUOTE_STALE, null, null, "quote not sane: bid "
                    + quote.bid().toPlainString() + ", ask " + quote.ask().toPlainString());
        }
        if (maxQuoteAge != null) {
            Duration age = Duration.between(quote.at(), account.asOf());
            if (age.compareTo(maxQuoteAge) > 0) {
                return new Skipped(symbol, SkipReason.QUOTE_STALE, null, null,
                        "quote is " + age + " old, more than the " + maxQuoteAge + " allowed");
            }
        }
        return null;
    }

    private static void trade(RebalancePlan.Line line, Quote quote, TargetAllocation target, List<PlannedOrder> sells,
                              List<PlannedOrder> buys, List<Skipped> skipped) {
        Symbol s = line.symbol();
        BigDecimal delta = line.targetValue().subtract(line.currentValue());
        if (delta.signum() < 0) {
            BigDecimal whole = wholeSellValue(line.quantity(), quote);
            // The shares the excess is worth at mid, priced at the bid they will sell for.
            BigDecimal notional = Money.cashFloor(onSide(delta.negate(), quote.bid(), quote));
            if (!target.isTarget(s) || notional.compareTo(whole) >= 0) {
                // The whole position by quantity, so no dust is left behind.
                if (Skipped.isBelowMinTrade(whole, target.minTrade())) {
                    skipped.add(Skipped.belowMinTrade(s, Side.SELL, whole, target.minTrade()));
                } else {
                    sells.add(new PlannedOrder("sell-" + s, OrderSpec.marketQty(s, Side.SELL, line.quantity()), whole));
                }
            } else if (Skipped.isBelowMinTrade(notional, target.minTrade())) {
                skipped.add(Skipped.belowMinTrade(s, Side.SELL, notional, target.minTrade()));
            } else {
                sells.add(new PlannedOrder("sell-" + s, OrderSpec.marketNotional(s, Side.SELL, notional), notional));
            }
        } else if (delta.signum() > 0) {
            // The shares the shortfall is worth at mid, priced at the ask they will cost.
            BigDecimal notional = Money.cashFloor(onSide(delta, quote.ask(), quote));
            if (Skipped.isBelowMinTrade(notional, target.minTrade())) {
                skipped.add(Skipped.belowMinTrade(s, Side.BUY, notional, target.minTrade()));
            } else {
                buys.add(new PlannedOrder("buy-" + s, OrderSpec.marketNotional(s, Side.BUY, notional), notional));
            }
        }
    }

    private static BigDecimal onSide(BigDecimal valueAtMid, BigDecimal sidePrice, Quote quote) {
        return valueAtMid.multiply(sidePrice).divide(quote.mid(), 10, RoundingMode.DOWN);
    }

    private static BigDecimal wholeSellValue(BigDecimal quantity, Quote quote) {
        return Money.cashFloor(quantity.multiply(quote.bid()));
    }
}

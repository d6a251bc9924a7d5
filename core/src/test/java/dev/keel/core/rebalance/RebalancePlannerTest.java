package dev.keel.core.rebalance;

import static dev.keel.core.rebalance.AllWeather.DBC;
import static dev.keel.core.rebalance.AllWeather.GLD;
import static dev.keel.core.rebalance.AllWeather.IEF;
import static dev.keel.core.rebalance.AllWeather.TLT;
import static dev.keel.core.rebalance.AllWeather.VTI;
import static dev.keel.core.rebalance.AllWeather.account;
import static dev.keel.core.rebalance.AllWeather.position;
import static dev.keel.core.rebalance.AllWeather.quote;
import static dev.keel.core.rebalance.AllWeather.quotes;
import static dev.keel.core.rebalance.AllWeather.targets;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.PlannedOrder;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RebalancePlannerTest {
    private final RebalancePlanner planner = new RebalancePlanner();

    private static BigDecimal d(String value) {
        return new BigDecimal(value);
    }

    private static PlannedOrder sell(Symbol s, String notional) {
        return new PlannedOrder("sell-" + s, OrderSpec.marketNotional(s, Side.SELL, d(notional)), d(notional));
    }

    private static PlannedOrder buy(Symbol s, String notional) {
        return new PlannedOrder("buy-" + s, OrderSpec.marketNotional(s, Side.BUY, d(notional)), d(notional));
    }

    private static Map<Symbol, Quote> quoteMap(Quote... all) {
        Map<Symbol, Quote> map = new TreeMap<>();
        for (Quote q : all) {
            map.put(q.symbol(), q);
        }
        return map;
    }

    /** AAA 50%, BBB 30%, CCC 20%, no cash and no buffer, every price exactly 100: the quantities are the weights. */
    private RebalancePlan planFiftyThirtyTwenty(String aaa, String bbb, String ccc) {
        AccountSnapshot account = account("0", position("AAA", aaa, "100"), position("BBB", bbb, "100"),
                position("CCC", ccc, "100"));
        TargetAllocation target = TargetAllocation.builder().weight("AAA", "0.5").weight("BBB", "0.3")
                .weight("CCC", "0.2").cashBuffer(BigDecimal.ZERO).build();
        return planner.plan(account, quoteMap(quote("AAA", "100", "100"), quote("BBB", "100", "100"),
                quote("CCC", "100", "100")), target);
    }

    @Test
    void allWeatherSellsVtiAndBuysTheRestSizedOnBidAndAsk() {
        RebalancePlan plan = AllWeather.plan();

        assertThat(plan.equity()).isEqualByComparingTo("23400.00");
        assertThat(plan.investable()).isEqualByComparingTo("23166.00");
        assertThat(plan.cashReserve()).isEqualByComparingTo("234.00");
        assertThat(plan.rebalanceNeeded()).isTrue();
        // VTI: 12,500 held, target 30% of 23,166 = 6,949.80; 5,550.20 at mid is 22.2008 shares, at the bid 5,547.97.
        assertThat(plan.sells()).containsExactly(sell(VTI, "5547.97"));
        // TLT: target 9,266.40 less 900 held = 8,366.40 at mid, 92.96 shares, at the ask 8,371.04.
        assertThat(plan.buys()).containsExactly(buy(DBC, "1738.23"), buy(GLD, "1738.38"), buy(IEF, "3476.72"),
                buy(TLT, "8371.04"));
        assertThat(plan.orders()).extracting(PlannedOrder::leg)
                .containsExactly("sell-VTI", "buy-DBC", "buy-GLD", "buy-IEF", "buy-TLT");
        assertThat(plan.skipped()).isEmpty();
        assertThat(plan.totalSells()).isEqualByComparingTo("5547.97");
        assertThat(plan.totalBuys()).isEqualByComparingTo("15324.37");
        assertThat(plan.turnover()).isEqualByComparingTo("0.8919803419");
    }

    @Test
    void allWeatherLinesCarryCurrentAndTargetWeightsAndDrift() {
        RebalancePlan plan = AllWeather.plan();

        assertThat(plan.lines()).extracting(RebalancePlan.Line::symbol).containsExactly(DBC, GLD, IEF, TLT, VTI);
        RebalancePlan.Line vti = plan.line(VTI).orElseThrow();
        assertThat(vti.quantity()).isEqualByComparingTo("50");
        assertThat(vti.price()).isEqualByComparingTo("250.00");
        assertThat(vti.quoted()).isTrue();
        assertThat(vti.currentValue()).isEqualByComparingTo("12500.00");
        assertThat(vti.currentWeight()).isEqualByComparingTo("0.5341880342");
        assertThat(vti.targetWeight()).isEqualByComparingTo("0.30");
        assertThat(vti.targetValue()).isEqualByComparingTo("6949.80");
        assertThat(vti.drift()).isEqualByComparingTo("0.2341880342");
        RebalancePlan.Line gld = plan.line(GLD).orElseThrow();
        assertThat(gld.currentValue()).isEqualByComparingTo("0");
        assertThat(gld.drift()).isEqualByComparingTo("-0.075");
    }

    @Test
    void describeRendersOneRowPerSymbolAndTheTotals() {
        String table = AllWeather.plan().describe();

        assertThat(table).contains("Rebalance plan for acct-1 as of 2026-03-02T15:00:00Z")
                .contains("Equity $23,400.00, cash $10,000.00, investable $23,166.00 (cash buffer 1.00%)")
                .contains("Rebalance needed: yes; sells $5,547.97, buys $15,324.37, turnover 89.20%");
        assertThat(table.lines().filter(l -> l.startsWith("VTI"))).singleElement().asString()
                .contains("12,500.00", "53.42%", "30.00%", "+23.42%", "SELL $5,547.97");
        assertThat(table.lines().filter(l -> l.startsWith("TLT"))).singleElement().asString()
                .contains("900.00", "3.85%", "40.00%", "-36.15%", "BUY $8,371.04");
    }

    @Test
    void noRebalanceWhenEveryDriftIsWithinTheThreshold() {
        AccountSnapshot account = account("1000", position("AAA", "620", "100"), position("BBB", "370", "100"));
        TargetAllocation target = TargetAllocation.builder().weight("AAA", "0.6").weight("BBB", "0.4").build();

        RebalancePlan plan = planner.plan(account, quoteMap(quote("AAA", "100", "100"), quote("BBB", "100", "100")),
                target);

        assertThat(plan.rebalanceNeeded()).isFalse();
        assertThat(plan.orders()).isEmpty();
        assertThat(plan.skipped()).isEmpty();
        assertThat(plan.turnover()).isEqualByComparingTo("0");
        assertThat(plan.line(Symbol.of("BBB")).orElseThrow().drift()).isEqualByComparingTo("-0.03");
    }

    @Test
    void onceOneSymbolBreachesEverySymbolWhoseTradeReachesMinTradeIsTraded() {
        // AAA drifted +8 points; BBB only -2, within the threshold, but is traded all the same.
        RebalancePlan plan = planFiftyThirtyTwenty("580", "280", "140");

        assertThat(plan.sells()).containsExactly(sell(Symbol.of("AAA"), "8000.00"));
        assertThat(plan.buys()).containsExactly(buy(Symbol.of("BBB"), "2000.00"), buy(Symbol.of("CCC"), "6000.00"));
    }

    @Test
    void tradeBelowMinTradeIsSkippedAndListed() {
        RebalancePlan plan = planFiftyThirtyTwenty("580", "299.96", "120.04");

        assertThat(plan.buys()).containsExactly(buy(Symbol.of("CCC"), "7996.00"));
        assertThat(plan.skipped()).containsExactly(new Skipped(Symbol.of("BBB"), SkipReason.BELOW_MIN_TRADE,
                Side.BUY, d("4.00"), "BUY $4.00 is below min trade $10.00"));
        assertThat(plan.skipped().getFirst().reason().code()).isNull();
    }

    @Test
    void symbolHeldButNotInTargetsIsSoldWholeByQuantity() {
        AccountSnapshot account = account("10000", position("VTI", "50", "250"), position("TLT", "10", "90"),
                position("QQQ", "3.5", "400"));
        Map<Symbol, Quote> quotes = quotes();
        quotes.put(Symbol.of("QQQ"), quote("QQQ", "399.80", "400.20"));

        RebalancePlan plan = planner.plan(account, quotes, targets().build());

        Symbol qqq = Symbol.of("QQQ");
        assertThat(plan.sells()).contains(new PlannedOrder("sell-QQQ", OrderSpec.marketQty(qqq, Side.SELL, d("3.5")),
                d("1399.30")));
        assertThat(plan.sells()).extracting(PlannedOrder::leg).containsExactly("sell-QQQ", "sell-VTI");
        assertThat(plan.line(qqq).orElseThrow().targetWeight()).isEqualByComparingTo("0");
    }

    @Test
    void holdingDroppedFromTargetsTriggersRebalanceEvenWhenWeightsAreWithinThreshold() {
        AccountSnapshot account = account("1000", position("AAA", "600", "100"), position("BBB", "390", "100"),
                position("OLD", "2", "100"));
        TargetAllocation target = TargetAllocation.builder().weight("AAA", "0.6").weight("BBB", "0.4").build();

        RebalancePlan plan = planner.plan(account, quoteMap(quote("AAA", "100", "100"), quote("BBB", "100", "100"),
                quote("OLD", "100", "100")), target);

        assertThat(plan.rebalanceNeeded()).isTrue();
        assertThat(plan.sells()).contains(new PlannedOrder("sell-OLD",
                OrderSpec.marketQty(Symbol.of("OLD"), Side.SELL, d("2")), d("200.00")));
    }

    @Test
    void targetWithoutQuoteIsSkippedAsQuoteMissingAndOthersStillTrade() {
        Map<Symbol, Quote> quotes = quotes();
        quotes.remove(GLD);

        RebalancePlan plan = planner.plan(AllWeather.account(), quotes, targets().build());

        assertThat(plan.skipped()).containsExactly(new Skipped(GLD, SkipReason.QUOTE_MISSING, null, null, "no quote"));
        assertThat(plan.skipped().getFirst().reason().code()).isEqualTo(ErrorCode.QUOTE_MISSING);
        assertThat(plan.buys()).extracting(PlannedOrder::leg).containsExactly("buy-DBC", "buy-IEF", "buy-TLT");
        assertThat(plan.sells()).containsExactly(sell(VTI, "5547.97"));
    }

    @Test
    void heldSymbolWithoutQuoteIsValuedAtTheBrokerPriceButNotTraded() {
        Map<Symbol, Quote> quotes = quotes();
        quotes.remove(VTI);

        RebalancePlan plan = planner.plan(AllWeather.account(), quotes, targets().build());

        assertThat(plan.equity()).isEqualByComparingTo("23400.00");
        assertThat(plan.line(VTI).orElseThrow().quoted()).isFalse();
        assertThat(plan.sells()).isEmpty();
        assertThat(plan.buys()).hasSize(4);
        assertThat(plan.skipped()).containsExactly(new Skipped(VTI, SkipReason.QUOTE_MISSING, null, null, "no quote"));
    }

    @Test
    void crossedOrZeroQuoteIsSkippedAsStale() {
        Map<Symbol, Quote> quotes = quotes();
        quotes.put(DBC, quote("DBC", "0", "22.01"));
        quotes.put(GLD, quote("GLD", "185.20", "185.10"));

        RebalancePlan plan = planner.plan(AllWeather.account(), quotes, targets().build());

        assertThat(plan.skipped()).containsExactly(
                new Skipped(DBC, SkipReason.QUOTE_STALE, null, null, "quote not sane: bid 0, ask 22.01"),
                new Skipped(GLD, SkipReason.QUOTE_STALE, null, null, "quote not sane: bid 185.20, ask 185.10"));
        assertThat(plan.skipped().getFirst().reason().code()).isEqualTo(ErrorCode.QUOTE_STALE);
        assertThat(plan.buys()).extracting(PlannedOrder::leg).containsExactly("buy-IEF", "buy-TLT");
    }

    @Test
    void quoteOlderThanMaxAgeBeforeTheSnapshotIsSkippedAsStale() {
        Map<Symbol, Quote> quotes = quotes();
        quotes.put(GLD, new Quote(GLD, d("184.90"), d("185.10"), AllWeather.AS_OF.minus(Duration.ofMinutes(10))));

        RebalancePlan plan = new RebalancePlanner(Duration.ofMinutes(5)).plan(AllWeather.account(), quotes,
                targets().build());

        assertThat(plan.skipped()).containsExactly(new Skipped(GLD, SkipReason.QUOTE_STALE, null, null,
                "quote is PT10M old, more than the PT5M allowed"));
    }

    @Test
    void cashBufferIsKeptOutOfTheTargets() {
        Map<Symbol, Quote> flat = new TreeMap<>();
        quotes().forEach((s, q) -> flat.put(s, new Quote(s, q.mid(), q.mid(), q.at())));

        RebalancePlan plan = planner.plan(AllWeather.account(), flat, targets().cashBuffer(d("0.10")).build());

        assertThat(plan.investable()).isEqualByComparingTo("21060.00");
        assertThat(plan.cashReserve()).isEqualByComparingTo("2340.00");
        assertThat(plan.lines().stream().map(RebalancePlan.Line::targetValue).reduce(BigDecimal.ZERO,
                BigDecimal::add)).isEqualByComparingTo("21060.00");
        BigDecimal cashAfter = plan.cash().add(plan.totalSells()).subtract(plan.totalBuys());
        assertThat(cashAfter).isGreaterThanOrEqualTo(plan.cashReserve());
    }

    @Test
    void planIsTheSameWhateverTheOrderOfTheQuotes() {
        Map<Symbol, Quote> shuffled = new HashMap<>();
        List.copyOf(quotes().values()).reversed().forEach(q -> shuffled.put(q.symbol(), q));

        assertThat(planner.plan(AllWeather.account(), shuffled, targets().build())).isEqualTo(AllWeather.plan());
    }
}

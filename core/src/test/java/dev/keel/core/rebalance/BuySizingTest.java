package dev.keel.core.rebalance;

import static dev.keel.core.rebalance.AllWeather.DBC;
import static dev.keel.core.rebalance.AllWeather.GLD;
import static dev.keel.core.rebalance.AllWeather.IEF;
import static dev.keel.core.rebalance.AllWeather.TLT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.PlannedOrder;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class BuySizingTest {
    private final RebalancePlan plan = AllWeather.plan();

    private static PlannedOrder buy(Symbol s, String notional) {
        BigDecimal n = new BigDecimal(notional);
        return new PlannedOrder("buy-" + s, OrderSpec.marketNotional(s, Side.BUY, n), n);
    }

    @Test
    void buysThatFitAreLeftAsPlanned() {
        BuySizing sizing = plan.scaleBuys(new BigDecimal("20000"));

        assertThat(sizing.scale()).isEqualByComparingTo("1");
        assertThat(sizing.scaledDown()).isFalse();
        assertThat(sizing.buys()).isEqualTo(plan.buys());
        assertThat(sizing.dropped()).isEmpty();
    }

    @Test
    void buysAreScaledOnTheCashTheSellsActuallyFreedLessTheReserve() {
        // The sell filled at its estimate: 10,000 + 5,547.97 less the 234.00 reserve; the ask costs a little more.
        BigDecimal spendable = plan.spendable(new BigDecimal("15547.97"));

        BuySizing sizing = plan.scaleBuys(spendable);

        assertThat(spendable).isEqualByComparingTo("15313.97");
        assertThat(sizing.scale()).isEqualByComparingTo("0.9993213424");
        assertThat(sizing.buys()).containsExactly(buy(DBC, "1737.05"), buy(GLD, "1737.20"), buy(IEF, "3474.36"),
                buy(TLT, "8365.35"));
        assertThat(sizing.total()).isLessThanOrEqualTo(spendable);
    }

    @Test
    void buysScaleDownProportionallyWhenTheSellFailed() {
        BuySizing sizing = plan.scaleBuys(new BigDecimal("10000.00"));

        assertThat(sizing.scale()).isEqualByComparingTo("0.6525553742");
        assertThat(sizing.buys()).containsExactly(buy(DBC, "1134.29"), buy(GLD, "1134.38"), buy(IEF, "2268.75"),
                buy(TLT, "5462.56"));
        assertThat(sizing.total()).isEqualByComparingTo("9999.98");
    }

    @Test
    void scaledBuysBelowMinTradeAreDropped() {
        BuySizing sizing = plan.scaleBuys(new BigDecimal("30"));

        assertThat(sizing.buys()).containsExactly(buy(TLT, "16.38"));
        assertThat(sizing.dropped()).extracting(Skipped::symbol).containsExactly(DBC, GLD, IEF);
        assertThat(sizing.dropped().getFirst())
                .isEqualTo(new Skipped(DBC, SkipReason.BELOW_MIN_TRADE, Side.BUY, new BigDecimal("3.40"),
                        "BUY $3.40 is below min trade $10.00"));
    }

    @Test
    void noCashDropsEveryBuy() {
        BuySizing sizing = plan.scaleBuys(new BigDecimal("-5"));

        assertThat(sizing.cashAvailable()).isEqualByComparingTo("0");
        assertThat(sizing.scale()).isEqualByComparingTo("0");
        assertThat(sizing.buys()).isEmpty();
        assertThat(sizing.dropped()).hasSize(4);
        assertThat(plan.spendable(new BigDecimal("100"))).isEqualByComparingTo("0");
    }
}

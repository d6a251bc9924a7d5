package dev.keel.core.rebalance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.model.Symbol;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class TargetAllocationTest {

    @Test
    void defaultsAreFivePointDriftTenDollarMinTradeAndOnePercentCash() {
        TargetAllocation target = AllWeather.targets().build();

        assertThat(target.driftThreshold()).isEqualByComparingTo("0.05");
        assertThat(target.minTrade()).isEqualByComparingTo("10.00");
        assertThat(target.cashBuffer()).isEqualByComparingTo("0.01");
        assertThat(target.weights().keySet()).extracting(Symbol::value)
                .containsExactly("DBC", "GLD", "IEF", "TLT", "VTI");
        assertThat(target.weight(Symbol.of("QQQ"))).isEqualByComparingTo("0");
    }

    @Test
    void weightsThatDoNotSumToOneAreRefusedNamingTheSum() {
        assertThatThrownBy(() -> TargetAllocation.builder().weight("VTI", "0.55").weight("TLT", "0.40").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("weights must sum to 1 (within 0.0001), but sum to 0.95");
    }

    @Test
    void sumWithinTheToleranceIsAccepted() {
        assertThat(TargetAllocation.builder().weight("AAA", "0.33333").weight("BBB", "0.33333")
                .weight("CCC", "0.33333").build().weights()).hasSize(3);
    }

    @Test
    void weightOutsideZeroToOneIsRefusedNamingTheSymbol() {
        assertThatThrownBy(() -> TargetAllocation.builder().weight("VTI", "0").weight("TLT", "1").build())
                .hasMessage("weight of VTI must be in (0, 1], but was 0");
        assertThatThrownBy(() -> TargetAllocation.builder().weight("VTI", "1.2").build())
                .hasMessage("weight of VTI must be in (0, 1], but was 1.2");
    }

    @Test
    void boundsOfTheTradingRulesAreNamedWithTheValue() {
        assertThatThrownBy(() -> AllWeather.targets().cashBuffer(BigDecimal.ONE).build())
                .hasMessage("cashBuffer must be in [0, 1), but was 1");
        assertThatThrownBy(() -> AllWeather.targets().minTrade(new BigDecimal("-1")).build())
                .hasMessage("minTrade must be at least 0, but was -1");
        assertThatThrownBy(() -> AllWeather.targets().driftThreshold(new BigDecimal("-0.01")).build())
                .hasMessage("driftThreshold must be in [0, 1), but was -0.01");
        assertThatThrownBy(() -> TargetAllocation.builder().build())
                .hasMessage("weights must name at least 1 symbol, but named 0");
    }
}

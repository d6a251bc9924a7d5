package dev.keel.core.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.ErrorContext;
import dev.keel.core.error.KeelException;
import dev.keel.core.rebalance.AllWeather;
import dev.keel.core.rebalance.RebalancePlan;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class RiskCheckTest {
    private final RebalancePlan plan = AllWeather.plan();

    @Test
    void allWeatherPlanPassesTheDefaultLimits() {
        RiskCheck check = RiskCheck.check(plan, RiskLimits.DEFAULTS);

        assertThat(check.passed()).isTrue();
        assertThat(check.violations()).isEmpty();
        assertThat(check.summary()).isEmpty();
        assertThat(RiskLimits.DEFAULTS.maxTurnover()).isEqualByComparingTo("1.00");
        assertThat(RiskLimits.DEFAULTS.maxOrder()).isEqualByComparingTo("50000.00");
    }

    @Test
    void turnoverAboveTheLimitIsAViolationWithoutLeg() {
        RiskCheck check = RiskCheck.check(plan, RiskLimits.builder().maxTurnover(new BigDecimal("0.50")).build());

        assertThat(check.violations()).containsExactly(new RiskViolation(ErrorCode.RISK_LIMIT_EXCEEDED,
                "maxTurnover", new BigDecimal("0.50"), new BigDecimal("0.8919803419"), null));
        assertThat(check.summary()).isEqualTo("maxTurnover 0.50 exceeded: 0.8919803419");
    }

    @Test
    void orderAboveMaxOrderIsAViolationNamingItsLeg() {
        RiskCheck check = RiskCheck.check(plan, RiskLimits.builder().maxOrder(new BigDecimal("5000")).build());

        assertThat(check.violations()).containsExactly(
                new RiskViolation(ErrorCode.RISK_LIMIT_EXCEEDED, "maxOrder", new BigDecimal("5000.00"),
                        new BigDecimal("5547.97"), "sell-VTI"),
                new RiskViolation(ErrorCode.RISK_LIMIT_EXCEEDED, "maxOrder", new BigDecimal("5000.00"),
                        new BigDecimal("8371.04"), "buy-TLT"));
        assertThat(check.passed()).isFalse();
    }

    @Test
    void violationsBecomeOneRiskLimitErrorWithEveryValueInItsDetails() {
        RiskCheck check = RiskCheck.check(plan, RiskLimits.builder().maxOrder(new BigDecimal("8000"))
                .maxTurnover(new BigDecimal("0.5")).build());

        KeelException e = check.toException(ErrorContext.of("tx-1", "acct-1", "corr-1"));

        assertThat(e.code()).isEqualTo(ErrorCode.RISK_LIMIT_EXCEEDED);
        assertThat(e.getMessage()).isEqualTo("risk limits exceeded: maxTurnover 0.5 exceeded: 0.8919803419; "
                + "maxOrder 8000.00 exceeded by buy-TLT: 8371.04");
        assertThat(e.context().details()).containsEntry("maxTurnover", "0.8919803419")
                .containsEntry("maxOrder:buy-TLT", "8371.04");
        assertThat(e.context().operationId()).isEqualTo("tx-1");
    }

    @Test
    void limitsMustBePositiveAndSayWhatTheyWere() {
        assertThatThrownBy(() -> RiskLimits.builder().maxTurnover(BigDecimal.ZERO).build())
                .hasMessage("maxTurnover must be greater than 0, but was 0");
        assertThatThrownBy(() -> RiskLimits.builder().maxOrder(new BigDecimal("-1")).build())
                .hasMessage("maxOrder must be greater than 0, but was -1");
    }
}

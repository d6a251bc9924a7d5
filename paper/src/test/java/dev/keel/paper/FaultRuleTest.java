package dev.keel.paper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultRuleTest {
    @Test
    void kebabCaseNamesParse() {
        assertThat(FaultKind.parse("timeout-after-accept")).isEqualTo(FaultKind.TIMEOUT_AFTER_ACCEPT);
        assertThat(FaultKind.parse("Rate-Limited")).isEqualTo(FaultKind.RATE_LIMITED);
        assertThat(FaultKind.parse("no_quote")).isEqualTo(FaultKind.NO_QUOTE);
        assertThat(RejectReason.parse("insufficient-buying-power")).isEqualTo(RejectReason.INSUFFICIENT_BUYING_POWER);
        assertThat(BrokerCall.parse("open-orders")).isEqualTo(BrokerCall.OPEN_ORDERS);
        for (FaultKind kind : FaultKind.values()) {
            assertThat(FaultKind.parse(kind.wire())).isEqualTo(kind);
        }
    }

    @Test
    void unknownNamesListTheValidOnes() {
        assertThatThrownBy(() -> FaultKind.parse("explode"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'explode'")
                .hasMessageContaining("reject, rate-limited, server-error, timeout-before-accept");
        assertThatThrownBy(() -> RejectReason.parse(null)).hasMessageContaining("market-closed");
        assertThatThrownBy(() -> BrokerCall.parse("replace")).hasMessageContaining("open-orders");
    }

    @Test
    void serverErrorDefaultsTo503() {
        assertThat(FaultRule.serverError().status()).isEqualTo(503);
        assertThat(new FaultRule(FaultKind.SERVER_ERROR, null, null, null, null, null, null, null, null, null).status())
                .isEqualTo(FaultRule.DEFAULT_SERVER_ERROR_STATUS);
    }

    @Test
    void selectorsAreCheckedAndNamed() {
        FaultRule rule = FaultRule.connectionReset();
        assertThatThrownBy(() -> rule.withNth(0)).hasMessage("nth must be at least 1, but was 0");
        assertThatThrownBy(() -> rule.withTimes(0)).hasMessage("times must be at least 1, but was 0");
        assertThatThrownBy(() -> rule.withProbability(1.5)).hasMessage("probability must be between 0 and 1, but was 1.5");
        assertThatThrownBy(() -> FaultRule.noFill().withOp(BrokerCall.CANCEL))
                .hasMessageContaining("no-fill applies only to [SUBMIT]");
    }

    @Test
    void parametersAreRequiredExactlyWhereTheKindUsesThem() {
        assertThatThrownBy(() -> new FaultRule(FaultKind.REJECT, null, null, null, null, null, null, null, null, null))
                .hasMessage("reason is required for this fault kind, but was null");
        assertThatThrownBy(() -> new FaultRule(FaultKind.NO_FILL, null, Duration.ZERO, null, null, null, null, null,
                null, null)).hasMessage("duration does not apply to this fault kind, but was PT0S");
        assertThatThrownBy(() -> FaultRule.partialFill(BigDecimal.ONE))
                .hasMessage("fraction must be in (0, 1), but was 1");
        assertThatThrownBy(() -> FaultRule.serverError(404))
                .hasMessage("status must be between 500 and 599, but was 404");
        assertThatThrownBy(() -> FaultRule.slow(Duration.ofSeconds(-1)))
                .hasMessage("duration must be at least 0, but was PT-1S");
    }

    @Test
    void configBuilderNamesTheBoundAndTheValue() {
        PaperConfig.Builder b = PaperConfig.builder();
        assertThatThrownBy(() -> b.startingCash(new BigDecimal("-1")))
                .hasMessage("startingCash must be at least 0, but was -1");
        assertThatThrownBy(() -> b.latency(Duration.ofMillis(-5)))
                .hasMessage("latency must be at least 0, but was PT-0.005S");
        assertThatThrownBy(() -> b.price(Fixtures.VTI, BigDecimal.ZERO))
                .hasMessage("price of VTI must be positive, but was 0");
        assertThatThrownBy(() -> b.spreadBps(new BigDecimal("10000")))
                .hasMessage("spreadBps must be at least 0 and below 10000, but was 10000");
        assertThatThrownBy(() -> b.randomWalk(new BigDecimal("0.01"), Duration.ZERO))
                .hasMessage("priceStep must be positive, but was PT0S");
        assertThatThrownBy(() -> FillMode.partial(new BigDecimal("1.5")))
                .hasMessage("fraction must be in (0, 1], but was 1.5");
    }

    @Test
    void configDefaultsAreAlpacaLike() {
        PaperConfig config = PaperConfig.builder().build();
        assertThat(config.startingCash()).isEqualByComparingTo("100000");
        assertThat(config.spreadBps()).isEqualByComparingTo("2");
        assertThat(config.fillMode(Fixtures.VTI)).isEqualTo(FillMode.immediate());
        assertThat(config.marketHours()).isEqualTo(MarketHours.ALWAYS_OPEN);
        assertThat(config.fractionalAllowed()).isTrue();
        assertThat(config.notionalAllowed()).isTrue();
        assertThat(config.lookupVisibilityLag()).isZero();
        assertThat(config.stateFile()).isNull();
        assertThat(config.priceMode()).isEqualTo(PriceMode.FIXED);
    }
}

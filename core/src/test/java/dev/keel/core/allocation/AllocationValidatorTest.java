package dev.keel.core.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.model.Symbol;
import dev.keel.core.rebalance.TargetAllocation;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AllocationValidatorTest {
    private final AllocationValidator validator = new AllocationValidator(new BigDecimal("0.05"),
            new BigDecimal("10.00"), new BigDecimal("0.01"), Set.of());

    private static AllocationEntry e(String symbol, String weight) {
        return new AllocationEntry(symbol, weight == null ? null : new BigDecimal(weight));
    }

    private static String invalid(Runnable call) {
        try {
            call.run();
        } catch (KeelException ex) {
            assertThat(ex.code()).isEqualTo(ErrorCode.ALLOCATION_INVALID);
            return ex.getMessage();
        }
        throw new AssertionError("expected ALLOCATION_INVALID");
    }

    @Test
    void validAllocationBecomesTheTargetWithTheConfiguredRules() {
        TargetAllocation t = validator.validate("api", List.of(e("VTI", "0.6"), e("TLT", "0.39995")));

        assertThat(t.weights()).containsOnlyKeys(Symbol.of("TLT"), Symbol.of("VTI"));
        assertThat(t.driftThreshold()).isEqualByComparingTo("0.05");
        assertThat(t.minTrade()).isEqualByComparingTo("10.00");
    }

    @Test
    void badSumIsRefused() {
        assertThat(invalid(() -> validator.validate("api", List.of(e("VTI", "0.6"), e("TLT", "0.3")))))
                .isEqualTo("api: weights must sum to 1 (within 0.0001), but sum to 0.9");
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        String message = invalid(() -> validator.validate("api", List.of(e("vti", "0.5"), e("TLT", "0"),
                e("TLT", "1.5"), e(null, "0.1"), e("GLD", null))));

        assertThat(message).contains("symbol must be 1-16 upper-case letters", "'vti'")
                .contains("weight of TLT must be in (0, 1], but was 0")
                .contains("symbol TLT appears more than once")
                .contains("weight of TLT must be in (0, 1], but was 1.5")
                .contains("a line has no symbol")
                .contains("weight of GLD is missing")
                .contains("weights must sum to 1");
    }

    @Test
    void symbolOutsideTheAllowedUniverseIsUnknown() {
        AllocationValidator strict = new AllocationValidator(new BigDecimal("0.05"), BigDecimal.ONE, BigDecimal.ZERO,
                Set.of(Symbol.of("VTI"), Symbol.of("TLT")));

        assertThat(invalid(() -> strict.validate("api", List.of(e("VTI", "0.5"), e("XYZ", "0.5")))))
                .isEqualTo("api: symbol XYZ is not one of the allowed symbols [TLT, VTI]");
    }

    @Test
    void emptyOrOversizedAllocationsAreRefused() {
        assertThat(invalid(() -> validator.validate("api", List.of())))
                .isEqualTo("api: the allocation names no symbol");
        List<AllocationEntry> many = new ArrayList<>();
        for (int i = 0; i < AllocationValidator.MAX_ENTRIES + 1; i++) {
            many.add(e("S" + i, "0.001"));
        }
        assertThat(invalid(() -> validator.validate("api", many))).startsWith(
                "api: the allocation has 501 lines, more than the 500 allowed");
    }

    @Test
    void badRulesFailAtConstruction() {
        assertThatThrownBy(() -> new AllocationValidator(BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ZERO, Set.of()))
                .hasMessage("driftThreshold must be in [0, 1), but was 1");
    }
}

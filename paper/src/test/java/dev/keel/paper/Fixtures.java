package dev.keel.paper;

import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import dev.keel.core.time.ManualClock;
import java.math.BigDecimal;
import java.time.Instant;

/** Shared test set-up: a Monday 10:00 New York start, two symbols, small order builders. */
final class Fixtures {
    /** Monday 3 March 2025, 10:00 in New York (EST): the US market is open. */
    static final Instant MONDAY_10AM_NY = Instant.parse("2025-03-03T15:00:00Z");
    static final Symbol VTI = Symbol.of("VTI");
    static final Symbol TLT = Symbol.of("TLT");

    private Fixtures() {
    }

    static ManualClock clock() {
        return new ManualClock(MONDAY_10AM_NY);
    }

    /** $10,000 cash, 10 TLT held, VTI at 250 and TLT at 90, no spread unless a test sets one. */
    static PaperConfig.Builder config() {
        return PaperConfig.builder()
                .seed(42)
                .startingCash(new BigDecimal("10000"))
                .startingPosition(TLT, new BigDecimal("10"))
                .price(VTI, new BigDecimal("250"))
                .price(TLT, new BigDecimal("90"))
                .spreadBps(BigDecimal.ZERO);
    }

    static PaperExchange exchange(PaperConfig config, ManualClock clock) {
        return new PaperExchange(config, clock, clock);
    }

    static OrderSpec buy(Symbol symbol, String quantity) {
        return OrderSpec.marketQty(symbol, Side.BUY, new BigDecimal(quantity));
    }

    static OrderSpec sell(Symbol symbol, String quantity) {
        return OrderSpec.marketQty(symbol, Side.SELL, new BigDecimal(quantity));
    }

    static BigDecimal dec(String value) {
        return new BigDecimal(value);
    }
}

package dev.keel.core.rebalance;

import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.Position;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Symbol;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The All-Weather example: VTI 30%, TLT 40%, IEF 15%, GLD 7.5%, DBC 7.5%, holding VTI 50 @ 250, TLT 10 @ 90 and
 * $10,000 cash. Quotes are a few cents wide around round mids.
 */
public final class AllWeather {
    public static final Instant AS_OF = Instant.parse("2026-03-02T15:00:00Z");
    public static final Symbol VTI = Symbol.of("VTI");
    public static final Symbol TLT = Symbol.of("TLT");
    public static final Symbol IEF = Symbol.of("IEF");
    public static final Symbol GLD = Symbol.of("GLD");
    public static final Symbol DBC = Symbol.of("DBC");

    private AllWeather() {
    }

    public static TargetAllocation.Builder targets() {
        return TargetAllocation.builder().weight("VTI", "0.30").weight("TLT", "0.40").weight("IEF", "0.15")
                .weight("GLD", "0.075").weight("DBC", "0.075");
    }

    public static AccountSnapshot account(String cash, Position... positions) {
        return new AccountSnapshot("acct-1", new BigDecimal(cash), new BigDecimal(cash), List.of(positions), AS_OF);
    }

    public static AccountSnapshot account() {
        return account("10000", position("VTI", "50", "250"), position("TLT", "10", "90"));
    }

    public static Position position(String symbol, String quantity, String price) {
        return new Position(Symbol.of(symbol), new BigDecimal(quantity), new BigDecimal(price));
    }

    public static Quote quote(String symbol, String bid, String ask) {
        return new Quote(Symbol.of(symbol), new BigDecimal(bid), new BigDecimal(ask), AS_OF);
    }

    /** VTI 249.90/250.10, TLT 89.95/90.05, IEF 94.95/95.05, GLD 184.90/185.10, DBC 21.99/22.01. */
    public static Map<Symbol, Quote> quotes() {
        Map<Symbol, Quote> quotes = new TreeMap<>();
        for (Quote q : List.of(quote("VTI", "249.90", "250.10"), quote("TLT", "89.95", "90.05"),
                quote("IEF", "94.95", "95.05"), quote("GLD", "184.90", "185.10"), quote("DBC", "21.99", "22.01"))) {
            quotes.put(q.symbol(), q);
        }
        return quotes;
    }

    public static RebalancePlan plan() {
        return new RebalancePlanner().plan(account(), quotes(), targets().build());
    }
}

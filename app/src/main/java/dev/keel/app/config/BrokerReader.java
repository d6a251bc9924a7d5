package dev.keel.app.config;

import dev.keel.app.config.FaultSettings.Kind;
import dev.keel.app.config.FaultSettings.Op;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Reads the broker section: its kind, the paper exchange and the paper exchange's fault plan. */
final class BrokerReader {
    /** Fields that only one kind of fault takes: legal combinations are data. */
    private static final List<Map.Entry<String, Kind>> ONLY_FOR = List.of(
            Map.entry("reason", Kind.REJECT),
            Map.entry("retry-after", Kind.RATE_LIMITED),
            Map.entry("status", Kind.SERVER_ERROR),
            Map.entry("delay", Kind.SLOW),
            Map.entry("fraction", Kind.PARTIAL_FILL),
            Map.entry("age", Kind.STALE_QUOTE));
    /** The field each kind cannot do without, and what belongs in it. */
    private static final Map<Kind, Map.Entry<String, String>> REQUIRES = new EnumMap<>(Map.of(
            Kind.REJECT, Map.entry("reason", Field.oneOf(FaultSettings.Reason.class)),
            Kind.SLOW, Map.entry("delay", DurationFormat.EXPECTED),
            Kind.PARTIAL_FILL, Map.entry("fraction", "a number in (0, 1)")));
    /** Kinds that make sense on one operation only: fills happen to orders, staleness to quotes. */
    private static final Map<Kind, Op> ONLY_ON = new EnumMap<>(Map.of(
            Kind.PARTIAL_FILL, Op.SUBMIT, Kind.NO_FILL, Op.SUBMIT, Kind.STALE_QUOTE, Op.QUOTE, Kind.NO_QUOTE, Op.QUOTE,
            Kind.STREAM_DROP, Op.STREAM));

    private BrokerReader() {
    }

    /** Absent: the paper exchange with its defaults. */
    static BrokerConfig broker(Field field, Path base) {
        Section s = field.section();
        int mark = s.problemCount();
        Field kindField = s.field("kind");
        BrokerConfig.Kind kind = kindField.choice(BrokerConfig.Kind.class, BrokerConfig.Kind.PAPER);
        PaperSettings paper = paper(s.field("paper"), base);
        AlpacaConfig alpaca = AlpacaReader.alpaca(s.field("alpaca"), base);
        s.finish();
        return s.problemCount() > mark ? null : new BrokerConfig(kind, paper, alpaca);
    }

    private static PaperSettings paper(Field field, Path base) {
        Section s = field.section();
        int mark = s.problemCount();
        Path state = s.field("state").file(PaperSettings.DEFAULT_STATE, base);
        Long seed = s.field("seed").wholeLong(PaperSettings.DEFAULT_SEED, Bound.ANY);
        Duration latency = s.field("latency").duration(PaperSettings.DEFAULT_LATENCY, false);
        BigDecimal cash = s.field("cash").amount(PaperSettings.DEFAULT_CASH, Bound.atLeast(0));
        Map<String, BigDecimal> positions = s.field("positions").symbolMap(q -> q.amount(null, Bound.positive()));
        Map<String, BigDecimal> prices = s.field("prices").symbolMap(p -> p.amount(null, Bound.positive()));
        BigDecimal spread = s.field("spread-bps").number(PaperSettings.DEFAULT_SPREAD_BPS, Bound.atLeast(0));
        PaperSettings.PriceMode priceMode = s.field("price-mode")
                .choice(PaperSettings.PriceMode.class, PaperSettings.PriceMode.FIXED);
        PaperSettings.MarketHours hours = s.field("market-hours")
                .choice(PaperSettings.MarketHours.class, PaperSettings.MarketHours.ALWAYS);
        Duration lag = s.field("visibility-lag").duration(PaperSettings.DEFAULT_VISIBILITY_LAG, false);
        Boolean orderClasses = s.field("order-classes").bool(PaperSettings.DEFAULT_ORDER_CLASSES);
        List<FaultSettings> faults = new ArrayList<>();
        for (Field item : s.field("faults").items()) {
            faults.add(fault(item));
        }
        List<FaultSettings> backupFaults = backup(s.field("backup"));
        s.finish();
        return s.problemCount() > mark ? null : new PaperSettings(state, seed, latency, cash, positions, prices,
                spread, priceMode, hours, lag, faults, backupFaults, orderClasses);
    }

    /** {@code backup: { faults: [...] }}: a backup endpoint with its own fault plan; absent: none (null). */
    private static List<FaultSettings> backup(Field field) {
        if (!field.present()) {
            return null;
        }
        Section s = field.section();
        List<FaultSettings> faults = new ArrayList<>();
        for (Field item : s.field("faults").items()) {
            faults.add(fault(item));
        }
        s.finish();
        return faults;
    }

    private static FaultSettings fault(Field item) {
        Section s = item.section();
        int mark = s.problemCount();
        Field opField = s.field("op").require(Field.oneOf(Op.class));
        Op op = opField.choice(Op.class, null);
        Kind kind = s.field("kind").require(Field.oneOf(Kind.class)).choice(Kind.class, null);
        FaultSettings.Reason reason = s.field("reason").choice(FaultSettings.Reason.class, null);
        Field symbolField = s.field("symbol");
        String symbol = symbolField.text(null);
        if (symbol != null) {
            symbolField.symbol(symbol);
        }
        Integer nth = s.field("nth").whole(null, Bound.atLeast(1));
        Integer times = s.field("times").whole(null, Bound.atLeast(1));
        Field probabilityField = s.field("probability");
        BigDecimal probability = probabilityField.number(null, Bound.between("0", true, "1", true));
        Duration retryAfter = s.field("retry-after").duration(null, false);
        Integer status = s.field("status").whole(null, Bound.between("500", true, "599", true));
        Duration delay = s.field("delay").duration(null, true);
        BigDecimal fraction = s.field("fraction").number(null, Bound.between("0", false, "1", false));
        Duration age = s.field("age").duration(null, true);
        if (nth != null && probabilityField.present()) {
            probabilityField.problem("cannot be combined with nth; a fault fires on the nth call or by chance, not both");
        }
        if (kind != null) {
            kindRules(s, kind, op, opField);
        }
        s.finish();
        if (s.problemCount() > mark) {
            return null;
        }
        if (nth != null && times == null) {
            times = 1;
        }
        if (kind == Kind.SERVER_ERROR && status == null) {
            status = FaultSettings.DEFAULT_STATUS;
        }
        if (kind == Kind.STALE_QUOTE && age == null) {
            age = FaultSettings.DEFAULT_AGE;
        }
        return new FaultSettings(op, kind, reason, symbol, nth, times,
                probability == null ? null : probability.doubleValue(), retryAfter, status, delay, fraction, age);
    }

    private static void kindRules(Section s, Kind kind, Op op, Field opField) {
        for (Map.Entry<String, Kind> only : ONLY_FOR) {
            if (s.has(only.getKey()) && only.getValue() != kind) {
                s.field(only.getKey()).problem("applies only to kind " + only.getValue().wire() + ", but kind is "
                        + kind.wire());
            }
        }
        Map.Entry<String, String> required = REQUIRES.get(kind);
        if (required != null) {
            s.field(required.getKey()).require(required.getValue() + " (kind " + kind.wire() + " needs it)");
        }
        Op only = ONLY_ON.get(kind);
        if (only != null && op != null && op != only) {
            opField.problem("kind " + kind.wire() + " happens only on op " + only.wire() + ", but op is " + op.wire());
        }
        if (op == Op.STREAM && kind != Kind.STREAM_DROP) {
            opField.problem("op stream takes only kind stream-drop, but kind is " + kind.wire());
        }
    }
}

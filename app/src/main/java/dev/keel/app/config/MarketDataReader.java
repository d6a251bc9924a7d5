package dev.keel.app.config;

import dev.keel.core.marketdata.MarketDataPolicy;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the {@code market-data} section: the price sources in order, the checks' bounds, and degraded data. */
final class MarketDataReader {
    private MarketDataReader() {
    }

    /** Absent: {@link MarketDataSettings#DEFAULTS}. */
    static MarketDataSettings marketData(Field field) {
        Section s = field.section();
        int mark = s.problemCount();
        List<MarketDataSettings.Source> sources = sources(s.field("sources"));
        BigDecimal outlier = s.field("outlier").number(MarketDataPolicy.DEFAULT_OUTLIER,
                Bound.between("0", false, "10", true));
        BigDecimal maxSpread = s.field("max-spread").number(MarketDataPolicy.DEFAULT_MAX_SPREAD,
                Bound.between("0", false, "1", false));
        Boolean allowDegraded = s.field("allow-degraded").bool(MarketDataPolicy.DEFAULT_ALLOW_DEGRADED);
        s.finish();
        return s.problemCount() > mark ? null
                : new MarketDataSettings(sources, outlier, maxSpread, allowDegraded);
    }

    private static List<MarketDataSettings.Source> sources(Field field) {
        if (!field.present()) {
            return MarketDataSettings.DEFAULTS.sources();
        }
        int mark = field.problemCount();
        List<Field> items = field.items();
        if (items.isEmpty() && field.problemCount() == mark) {
            field.problem("must list at least one source, e.g. [ { kind: live } ]");
        }
        Map<MarketDataSettings.Kind, String> firstUse = new HashMap<>();
        List<MarketDataSettings.Source> sources = new ArrayList<>();
        for (Field item : items) {
            sources.add(source(item, firstUse));
        }
        return field.problemCount() > mark ? null : sources;
    }

    private static MarketDataSettings.Source source(Field item, Map<MarketDataSettings.Kind, String> firstUse) {
        Section s = item.section();
        int mark = s.problemCount();
        Field kindField = s.field("kind").require(Field.oneOf(MarketDataSettings.Kind.class));
        MarketDataSettings.Kind kind = kindField.choice(MarketDataSettings.Kind.class, null);
        if (kind != null && firstUse.putIfAbsent(kind, item.path()) != null) {
            kindField.problem("source " + kind.wire() + " is listed twice; " + firstUse.get(kind) + " already has it");
        }
        MarketDataSettings.Source defaults = kind == null ? null : MarketDataSettings.Source.defaults(kind);
        Field maxAgeField = s.field("max-age");
        Duration maxAge = maxAgeField.duration(defaults == null ? null : defaults.maxAge(), true);
        Field delayField = s.field("delay");
        Duration delay = delayField.duration(defaults == null ? null : defaults.delay(), false);
        if (kind != null && kind != MarketDataSettings.Kind.DELAYED && delayField.present()) {
            delayField.problem("applies only to kind delayed, but kind is " + kind.wire());
            delay = null;
        }
        if (kind == MarketDataSettings.Kind.DELAYED && maxAge != null && delay != null
                && maxAge.compareTo(delay) <= 0) {
            maxAgeField.problem("must be greater than delay (" + DurationFormat.format(delay)
                    + "), or every delayed quote is stale, but was " + DurationFormat.format(maxAge));
        }
        s.finish();
        return s.problemCount() > mark ? null : new MarketDataSettings.Source(kind, maxAge, delay);
    }
}

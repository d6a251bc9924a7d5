package dev.keel.core.marketdata;

import dev.keel.core.error.KeelException;
import dev.keel.core.execution.BrokerGateway;
import dev.keel.core.execution.SimulationHooks;
import dev.keel.core.model.Money;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Symbol;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Market data Keel can trust or refuse: asks its sources in order (live, then delayed, then the last close) and takes
 * the first quote that passes every check: positive, not crossed, younger than the source's maximum age by the
 * injected clock, spread within bounds, and mid within the outlier bound of the symbol's last good price. A quote
 * that passed only on a fallback source is {@link Trust#DEGRADED}; none passing is {@link Trust#UNTRUSTED}. Every
 * failed check is kept, naming the source.
 *
 * <p>The last good price is remembered in memory per symbol. After a restart, or when it is older than the
 * reference lookback, the reference is the latest sound daily close of the sources' bar series (gaps backfilled):
 * an independent witness that costs one read, where seeding from the journal would reuse the broker's own
 * valuations, which may be the very outlier. Thread-safe.
 */
public final class QuoteChain {
    private static final Duration DAY = Duration.ofDays(1);

    /**
     * One source and how old its quotes may be.
     *
     * @param maxAge a quote older than this, by the injected clock, is stale
     */
    public record Stage(QuoteSource source, Duration maxAge) {
        public Stage {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(maxAge, "maxAge");
            if (maxAge.isNegative() || maxAge.isZero()) {
                throw new IllegalArgumentException("maxAge of source '" + source.name() + "' must be positive, but was "
                        + maxAge);
            }
        }
    }

    private record Price(BigDecimal mid, Instant at) {
    }

    private final List<Stage> stages;
    private final MarketDataPolicy policy;
    private final Clock clock;
    private final boolean trustEveryQuote;
    private final BarAssembler assembler;
    private final Map<Symbol, Price> lastGood = new ConcurrentHashMap<>();

    private QuoteChain(Builder b) {
        this.stages = List.copyOf(b.stages);
        this.policy = b.policy;
        this.clock = b.clock;
        this.trustEveryQuote = b.hooks.trustEveryQuote();
        this.assembler = new BarAssembler(policy.session(), policy.outlier());
    }

    public static Builder builder(Clock clock) {
        return new Builder(clock);
    }

    /** The broker's live quotes alone, with the default policy: what an account without market-data settings gets. */
    public static QuoteChain live(BrokerGateway gateway, Clock clock) {
        return builder(clock).source(new BrokerQuoteSource(gateway), MarketDataPolicy.DEFAULT_LIVE_MAX_AGE).build();
    }

    public MarketDataPolicy policy() {
        return policy;
    }

    public List<Stage> stages() {
        return stages;
    }

    /** Judges every symbol's quote, by symbol. */
    public SortedMap<Symbol, CheckedQuote> quotes(Collection<Symbol> symbols) {
        SortedMap<Symbol, CheckedQuote> quotes = new TreeMap<>();
        for (Symbol s : new TreeSet<>(symbols)) {
            quotes.put(s, quote(s));
        }
        return quotes;
    }

    /** Asks the sources in order for {@code symbol} and returns the first quote that passes every check. */
    public CheckedQuote quote(Symbol symbol) {
        Objects.requireNonNull(symbol, "symbol");
        List<QuoteProblem> problems = new ArrayList<>();
        Reference reference = new Reference(symbol);
        for (int i = 0; i < stages.size(); i++) {
            Stage stage = stages.get(i);
            String name = stage.source().name();
            Quote quote;
            try {
                quote = stage.source().quote(symbol).orElse(null);
            } catch (KeelException e) {
                problems.add(new QuoteProblem(name, QuoteCheck.MISSING, "could not be asked: " + e.code()));
                continue;
            }
            if (quote == null) {
                problems.add(new QuoteProblem(name, QuoteCheck.MISSING, "has no quote"));
                continue;
            }
            Instant now = clock.instant();
            Trust trust = i == 0 ? Trust.TRUSTED : Trust.DEGRADED;
            if (trustEveryQuote) {
                // planted bug: whatever answered first is taken as it is
                return new CheckedQuote(symbol, quote, name, Trust.TRUSTED, null, now, problems);
            }
            List<QuoteProblem> found = check(stage, quote, now, reference);
            if (found.isEmpty()) {
                remember(symbol, quote.mid(), quote.at());
                return new CheckedQuote(symbol, quote, name, trust, reference.value, now, problems);
            }
            problems.addAll(found);
        }
        return new CheckedQuote(symbol, null, null, Trust.UNTRUSTED, reference.value, clock.instant(), problems);
    }

    /**
     * The checked bars of {@code symbol}: each slot from the first source with a sound bar, the rest backfilled from
     * later sources, gaps and questionable bars marked.
     */
    public BarSeries bars(Symbol symbol, Instant from, Instant to, Duration interval) {
        List<QuoteSource> sources = stages.stream().map(Stage::source).toList();
        return assembler.assemble(symbol, from, to, interval, sources);
    }

    /**
     * The price the outlier check compares against: the last good price remembered, when younger than the reference
     * lookback, else the close of the latest sound daily bar within it; empty when there is neither.
     */
    public Optional<BigDecimal> reference(Symbol symbol) {
        Instant now = clock.instant();
        Price remembered = lastGood.get(symbol);
        if (remembered != null && !remembered.at().isBefore(now.minus(policy.referenceLookback()))) {
            return Optional.of(remembered.mid());
        }
        BarSeries daily = bars(symbol, now.minus(policy.referenceLookback()), now, DAY);
        return daily.lastSound().map(e -> e.bar().close());
    }

    /** Remembers a good price of {@code symbol} unless a newer one is known. */
    public void remember(Symbol symbol, BigDecimal mid, Instant at) {
        lastGood.merge(symbol, new Price(mid, at), (old, neu) -> neu.at().isBefore(old.at()) ? old : neu);
    }

    private List<QuoteProblem> check(Stage stage, Quote q, Instant now, Reference reference) {
        String name = stage.source().name();
        List<QuoteProblem> found = new ArrayList<>();
        boolean positive = q.bid().signum() > 0 && q.ask().signum() > 0;
        if (!positive) {
            found.add(new QuoteProblem(name, QuoteCheck.NOT_POSITIVE, "bid " + q.bid().toPlainString() + ", ask "
                    + q.ask().toPlainString()));
        }
        boolean crossed = q.bid().compareTo(q.ask()) > 0;
        if (crossed) {
            found.add(new QuoteProblem(name, QuoteCheck.CROSSED, "bid " + q.bid().toPlainString() + " is above ask "
                    + q.ask().toPlainString()));
        }
        Duration age = Duration.between(q.at(), now);
        if (age.compareTo(stage.maxAge()) > 0) {
            found.add(new QuoteProblem(name, QuoteCheck.STALE, "quote is " + age.truncatedTo(ChronoUnit.MILLIS)
                    + " old, more than the " + stage.maxAge() + " allowed"));
        }
        if (positive && !crossed) {
            BigDecimal mid = q.mid();
            BigDecimal spread = Money.ratio(q.ask().subtract(q.bid()), mid);
            if (spread.compareTo(policy.maxSpread()) > 0) {
                found.add(new QuoteProblem(name, QuoteCheck.WIDE_SPREAD, "spread is " + BarAssembler.percent(spread)
                        + " of mid, more than the " + BarAssembler.percent(policy.maxSpread()) + " allowed"));
            }
            BigDecimal ref = reference.get();
            if (ref != null && ref.signum() > 0) {
                BigDecimal move = mid.subtract(ref).abs().divide(ref, 10, RoundingMode.HALF_EVEN);
                if (move.compareTo(policy.outlier()) > 0) {
                    found.add(new QuoteProblem(name, QuoteCheck.OUTLIER, "mid " + mid.toPlainString() + " is "
                            + BarAssembler.percent(move) + " from the last good price " + ref.toPlainString()
                            + ", more than the " + BarAssembler.percent(policy.outlier()) + " allowed"));
                }
            }
        }
        return found;
    }

    /** The reference price of one symbol, looked up at most once per judgement and only when a check needs it. */
    private final class Reference {
        private final Symbol symbol;
        private boolean looked;
        private BigDecimal value;

        Reference(Symbol symbol) {
            this.symbol = symbol;
        }

        BigDecimal get() {
            if (!looked) {
                looked = true;
                value = reference(symbol).orElse(null);
            }
            return value;
        }
    }

    /** Builds a {@link QuoteChain}: sources in the order they are asked, the first one primary. */
    public static final class Builder {
        private final Clock clock;
        private final List<Stage> stages = new ArrayList<>();
        private MarketDataPolicy policy = MarketDataPolicy.defaults();
        private SimulationHooks hooks = SimulationHooks.NONE;

        private Builder(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
        }

        /** Adds the next source to ask; the first added is the primary one. */
        public Builder source(QuoteSource source, Duration maxAge) {
            Stage stage = new Stage(source, maxAge);
            if (stages.stream().anyMatch(s -> s.source().name().equals(source.name()))) {
                throw new IllegalArgumentException("source names must be unique, but '" + source.name()
                        + "' was given twice");
            }
            stages.add(stage);
            return this;
        }

        public Builder policy(MarketDataPolicy value) {
            this.policy = Objects.requireNonNull(value, "policy");
            return this;
        }

        /** Where the simulation plants its bugs; {@link SimulationHooks#NONE} (the default) in production. */
        public Builder hooks(SimulationHooks hooks) {
            this.hooks = java.util.Objects.requireNonNull(hooks, "hooks");
            return this;
        }

        public QuoteChain build() {
            if (stages.isEmpty()) {
                throw new IllegalArgumentException("sources must name at least 1 source, but named 0");
            }
            return new QuoteChain(this);
        }
    }
}

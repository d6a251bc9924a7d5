package dev.keel.paper;

import dev.keel.core.model.Symbol;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** The paper exchange's settings; immutable, built by {@link #builder()}. */
public final class PaperConfig {
    /** The default starting cash of a new account: 100,000.00, as Alpaca's paper accounts. */
    public static final BigDecimal DEFAULT_STARTING_CASH = new BigDecimal("100000.00");
    /** The default spread: 2 basis points. */
    public static final BigDecimal DEFAULT_SPREAD_BPS = new BigDecimal("2");
    /** The default interval of random-walk steps: 1 minute. */
    public static final Duration DEFAULT_PRICE_STEP = Duration.ofMinutes(1);

    private final long seed;
    private final Duration latency;
    private final BigDecimal startingCash;
    private final Map<Symbol, BigDecimal> startingPositions;
    private final Map<Symbol, BigDecimal> prices;
    private final PriceMode priceMode;
    private final BigDecimal volatility;
    private final Duration priceStep;
    private final BigDecimal spreadBps;
    private final FillMode fillMode;
    private final Map<Symbol, FillMode> symbolFillModes;
    private final MarketHours marketHours;
    private final boolean fractionalAllowed;
    private final boolean notionalAllowed;
    private final boolean orderClasses;
    private final Duration lookupVisibilityLag;
    private final Path stateFile;
    private final List<FaultRule> faults;

    private PaperConfig(Builder b) {
        this.seed = b.seed;
        this.latency = b.latency;
        this.startingCash = b.startingCash;
        this.startingPositions = Map.copyOf(b.startingPositions);
        this.prices = Map.copyOf(b.prices);
        this.priceMode = b.priceMode;
        this.volatility = b.volatility;
        this.priceStep = b.priceStep;
        this.spreadBps = b.spreadBps;
        this.fillMode = b.fillMode;
        this.symbolFillModes = Map.copyOf(b.symbolFillModes);
        this.marketHours = b.marketHours;
        this.fractionalAllowed = b.fractionalAllowed;
        this.notionalAllowed = b.notionalAllowed;
        this.orderClasses = b.orderClasses;
        this.lookupVisibilityLag = b.lookupVisibilityLag;
        this.stateFile = b.stateFile;
        this.faults = List.copyOf(b.faults);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Seeds the price walk and the fault plan's draws. Default 0. */
    public long seed() {
        return seed;
    }

    /** Sleeps on every call before it is processed. Default zero. */
    public Duration latency() {
        return latency;
    }

    /** Cash of an account the exchange has not seen before. Default {@link #DEFAULT_STARTING_CASH}. */
    public BigDecimal startingCash() {
        return startingCash;
    }

    /** Holdings of an account the exchange has not seen before. Default none. */
    public Map<Symbol, BigDecimal> startingPositions() {
        return startingPositions;
    }

    /** Starting mid prices; a symbol without one is unknown to the exchange. */
    public Map<Symbol, BigDecimal> prices() {
        return prices;
    }

    /** Default {@link PriceMode#FIXED}. */
    public PriceMode priceMode() {
        return priceMode;
    }

    /** Largest relative move of a mid per walk step, e.g. 0.001 = 10 bps. Zero unless random walk. */
    public BigDecimal volatility() {
        return volatility;
    }

    /** Interval between walk steps. Default {@link #DEFAULT_PRICE_STEP}. */
    public Duration priceStep() {
        return priceStep;
    }

    /** Spread in basis points: bid = mid - half of it, ask = mid + half. Default {@link #DEFAULT_SPREAD_BPS}. */
    public BigDecimal spreadBps() {
        return spreadBps;
    }

    /** The fill mode of {@code symbol}: its own if set, else the global one (default immediate). */
    public FillMode fillMode(Symbol symbol) {
        return symbolFillModes.getOrDefault(symbol, fillMode);
    }

    /** Default {@link MarketHours#ALWAYS_OPEN}. */
    public MarketHours marketHours() {
        return marketHours;
    }

    /** Whether quantities may have a fraction. Default true. */
    public boolean fractionalAllowed() {
        return fractionalAllowed;
    }

    /**
     * Whether the exchange holds OCO pairs and brackets itself (as Alpaca does). When false it refuses them, as a
     * broker without order classes does, and Keel emulates them; such a broker is modelled as a margin account that
     * leaves exits to the client: sells are not checked against shares promised to other open sells, and a sell may
     * take the position short (negative), so the race in which both legs of an emulated pair fill can happen.
     */
    public boolean orderClasses() {
        return orderClasses;
    }

    /** Whether orders by cash amount are accepted. Default true. */
    public boolean notionalAllowed() {
        return notionalAllowed;
    }

    /** An order younger than this is not yet found by client order id. Default zero. */
    public Duration lookupVisibilityLag() {
        return lookupVisibilityLag;
    }

    /** The SQLite file holding the exchange's state, or null for in-memory state. */
    public Path stateFile() {
        return stateFile;
    }

    /** The fault plan, in order. Default empty. */
    public List<FaultRule> faults() {
        return faults;
    }

    /** Builds a {@link PaperConfig}; every setter checks its bound and names it. */
    public static final class Builder {
        private long seed;
        private Duration latency = Duration.ZERO;
        private BigDecimal startingCash = DEFAULT_STARTING_CASH;
        private final Map<Symbol, BigDecimal> startingPositions = new TreeMap<>();
        private final Map<Symbol, BigDecimal> prices = new TreeMap<>();
        private PriceMode priceMode = PriceMode.FIXED;
        private BigDecimal volatility = BigDecimal.ZERO;
        private Duration priceStep = DEFAULT_PRICE_STEP;
        private BigDecimal spreadBps = DEFAULT_SPREAD_BPS;
        private FillMode fillMode = FillMode.immediate();
        private final Map<Symbol, FillMode> symbolFillModes = new TreeMap<>();
        private MarketHours marketHours = MarketHours.ALWAYS_OPEN;
        private boolean fractionalAllowed = true;
        private boolean notionalAllowed = true;
        private boolean orderClasses = true;
        private Duration lookupVisibilityLag = Duration.ZERO;
        private Path stateFile;
        private final List<FaultRule> faults = new ArrayList<>();

        private Builder() {
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        public Builder latency(Duration value) {
            this.latency = notNegative("latency", value);
            return this;
        }

        public Builder startingCash(BigDecimal value) {
            Objects.requireNonNull(value, "startingCash");
            if (value.signum() < 0) {
                throw new IllegalArgumentException("startingCash must be at least 0, but was " + value);
            }
            this.startingCash = value;
            return this;
        }

        public Builder startingPosition(Symbol symbol, BigDecimal quantity) {
            Objects.requireNonNull(symbol, "symbol");
            this.startingPositions.put(symbol, positive("starting quantity of " + symbol, quantity));
            return this;
        }

        public Builder startingPositions(Map<Symbol, BigDecimal> positions) {
            positions.forEach(this::startingPosition);
            return this;
        }

        public Builder price(Symbol symbol, BigDecimal mid) {
            Objects.requireNonNull(symbol, "symbol");
            this.prices.put(symbol, positive("price of " + symbol, mid));
            return this;
        }

        public Builder prices(Map<Symbol, BigDecimal> mids) {
            mids.forEach(this::price);
            return this;
        }

        public Builder fixedPrices() {
            this.priceMode = PriceMode.FIXED;
            this.volatility = BigDecimal.ZERO;
            return this;
        }

        /** Moves every mid each {@code step} by a seeded uniform draw in ±{@code volatility} (relative, &lt; 1). */
        public Builder randomWalk(BigDecimal volatility, Duration step) {
            Objects.requireNonNull(volatility, "volatility");
            if (volatility.signum() < 0 || volatility.compareTo(BigDecimal.ONE) >= 0) {
                throw new IllegalArgumentException("volatility must be at least 0 and below 1, but was " + volatility);
            }
            Objects.requireNonNull(step, "priceStep");
            if (step.isNegative() || step.isZero()) {
                throw new IllegalArgumentException("priceStep must be positive, but was " + step);
            }
            this.priceMode = PriceMode.RANDOM_WALK;
            this.volatility = volatility;
            this.priceStep = step;
            return this;
        }

        public Builder spreadBps(BigDecimal value) {
            Objects.requireNonNull(value, "spreadBps");
            if (value.signum() < 0 || value.compareTo(new BigDecimal("10000")) >= 0) {
                throw new IllegalArgumentException("spreadBps must be at least 0 and below 10000, but was " + value);
            }
            this.spreadBps = value;
            return this;
        }

        public Builder fillMode(FillMode mode) {
            this.fillMode = Objects.requireNonNull(mode, "fillMode");
            return this;
        }

        public Builder fillMode(Symbol symbol, FillMode mode) {
            this.symbolFillModes.put(Objects.requireNonNull(symbol, "symbol"), Objects.requireNonNull(mode, "fillMode"));
            return this;
        }

        public Builder marketHours(MarketHours value) {
            this.marketHours = Objects.requireNonNull(value, "marketHours");
            return this;
        }

        /** See {@link PaperConfig#orderClasses()}; default true. */
        public Builder orderClasses(boolean value) {
            this.orderClasses = value;
            return this;
        }

        public Builder fractionalAllowed(boolean value) {
            this.fractionalAllowed = value;
            return this;
        }

        public Builder notionalAllowed(boolean value) {
            this.notionalAllowed = value;
            return this;
        }

        public Builder lookupVisibilityLag(Duration value) {
            this.lookupVisibilityLag = notNegative("lookupVisibilityLag", value);
            return this;
        }

        /** The SQLite state file; null (the default) keeps state in memory. */
        public Builder stateFile(Path value) {
            this.stateFile = value;
            return this;
        }

        /** Replaces the fault plan. */
        public Builder faults(List<FaultRule> rules) {
            this.faults.clear();
            rules.forEach(this::fault);
            return this;
        }

        /** Appends a rule to the fault plan. */
        public Builder fault(FaultRule rule) {
            this.faults.add(Objects.requireNonNull(rule, "fault rule"));
            return this;
        }

        public PaperConfig build() {
            return new PaperConfig(this);
        }

        private static Duration notNegative(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative()) {
                throw new IllegalArgumentException(name + " must be at least 0, but was " + value);
            }
            return value;
        }

        private static BigDecimal positive(String name, BigDecimal value) {
            Objects.requireNonNull(value, name);
            if (value.signum() <= 0) {
                throw new IllegalArgumentException(name + " must be positive, but was " + value);
            }
            return value;
        }
    }
}

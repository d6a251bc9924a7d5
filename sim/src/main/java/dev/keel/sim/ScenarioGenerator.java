package dev.keel.sim;

import dev.keel.core.model.Money;
import dev.keel.core.model.Symbol;
import dev.keel.paper.BrokerCall;
import dev.keel.paper.FaultKind;
import dev.keel.paper.FaultRule;
import dev.keel.paper.RejectReason;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/** Draws a whole {@link Scenario} from one seed. */
final class ScenarioGenerator {
    static final Instant START = Instant.parse("2026-03-02T15:00:00Z");
    private static final List<String> UNIVERSE = List.of("VTI", "TLT", "IEF", "GLD", "DBC", "SPY", "QQQ", "BND",
            "VNQ", "EFA");
    // stream events exist only for the HTTP paper server; leaving them out keeps every seed's scenario as it was
    private static final BrokerCall[] OPS = java.util.Arrays.stream(BrokerCall.values())
            .filter(op -> op != BrokerCall.STREAM).toArray(BrokerCall[]::new);
    private static final FaultKind[] KINDS = java.util.Arrays.stream(FaultKind.values())
            .filter(kind -> kind != FaultKind.STREAM_DROP).toArray(FaultKind[]::new);
    private static final RejectReason[] REASONS = RejectReason.values();
    private static final long MARKET_DATA_STREAM = 0x6D61726B65744461L;
    private static final long OPERATIONS_STREAM = 0x6F7065726174696FL;
    /** The share of accounts that get order operations (brackets, OCO pairs, modifications...): one in three. */
    private static final int OPERATIONS_ONE_IN = 3;

    private ScenarioGenerator() {
    }

    /** A scenario with 1 to {@code maxAccounts} accounts, concurrent steps included. */
    static Scenario generate(long seed, int maxAccounts) {
        return generate(seed, maxAccounts, true);
    }

    /** The unit of a broker's lookup lag. */
    private static final Duration LAG_STEP = Duration.ofMillis(250);

    /** A scenario with 1 to {@code maxAccounts} accounts; with {@code concurrency}, concurrent steps for some seeds. */
    static Scenario generate(long seed, int maxAccounts, boolean concurrency) {
        SplittableRandom r = new SplittableRandom(seed);
        // Market-data choices draw from their own stream, so they leave every other draw of a seed as it was.
        SplittableRandom md = new SplittableRandom(seed ^ MARKET_DATA_STREAM);
        // Order operations draw from their own stream too, for the same reason.
        SplittableRandom ops = new SplittableRandom(seed ^ OPERATIONS_STREAM);
        int n = 1 + r.nextInt(Math.max(1, maxAccounts));
        List<Scenario.AccountSetup> accounts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            accounts.add(account("acct-" + i, r, md.nextInt(4) == 0 ? 0 : 1 + md.nextInt(2), md.nextInt(4) != 0,
                    ops.nextInt(3) != 0));
        }
        List<Scenario.Step> work = new ArrayList<>();
        for (Scenario.AccountSetup a : accounts) {
            work.add(new Scenario.Rebalance(a.id()));
        }
        Collections.shuffle(work, new java.util.Random(r.nextLong()));
        for (Scenario.AccountSetup a : accounts) {
            if (r.nextInt(3) == 0) {
                work.add(new Scenario.AdvanceTime(Duration.ofSeconds(r.nextInt(600))));
                work.add(new Scenario.MovePrices(a.id(), jumped(moved(a.prices(), r), a, md)));
                work.add(new Scenario.Rebalance(a.id()));
            }
        }
        work.addAll(operations(accounts, work, ops));
        work = withOperator(seed, work);
        // Concurrent steps draw from their own stream too: a seed without them runs exactly as before.
        SplittableRandom concurrencyStream = ConcurrentSteps.stream(seed);
        if (concurrency) {
            work = ConcurrentSteps.insert(work, accounts, concurrencyStream);
        }
        Duration leaseTimeout = ConcurrentSteps.leaseTimeout(concurrencyStream);
        long budget = 60L * n;
        TreeSet<Long> crashes = new TreeSet<>();
        int crashCount = r.nextInt(4); // 0 to 3 crashes
        for (int i = 0; i < crashCount; i++) {
            crashes.add(1 + r.nextLong(budget));
        }
        TreeSet<Long> journalFailures = new TreeSet<>();
        if (r.nextInt(5) == 0) {
            journalFailures.add(1 + r.nextLong(budget));
        }
        double notifyFailure = r.nextInt(4) == 0 ? r.nextDouble() * 0.5 : 0.0;
        return new Scenario(seed, START, accounts, work, crashes, journalFailures, notifyFailure, Set.of(),
                leaseTimeout, SimAlerting.draw(seed));
    }

    /**
     * The people around the engine, drawn from a generator of their own so every other draw of a seed stays what it
     * was: a scheduler that fires a rebalance again at once (a quarter of the time; on a halted account that is the
     * attempt law 9 must refuse), and an operator who, before an account's second rebalance (half the time) and after
     * all the work (a quarter of the time), looks at the account and resumes it if Keel halted it.
     */
    private static List<Scenario.Step> withOperator(long seed, List<Scenario.Step> work) {
        SplittableRandom operator = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 11);
        List<Scenario.Step> steps = new ArrayList<>();
        Set<String> rebalanced = new java.util.HashSet<>();
        for (Scenario.Step step : work) {
            if (step instanceof Scenario.Rebalance r && !rebalanced.add(r.accountId()) && operator.nextInt(2) == 0) {
                steps.add(new Scenario.Resume(r.accountId()));
            }
            steps.add(step);
            if (step instanceof Scenario.Rebalance r && operator.nextInt(4) == 0) {
                steps.add(new Scenario.Rebalance(r.accountId()));
            }
        }
        for (String account : new TreeSet<>(rebalanced)) {
            if (operator.nextInt(4) == 0) {
                steps.add(new Scenario.Resume(account));
            }
        }
        return steps;
    }

    /**
     * Order operations for one account in {@value #OPERATIONS_ONE_IN}, after the rebalances: a bracket on one of its
     * symbols, then a few of: protection watch passes, price moves of that symbol that cross the bracket's stop or
     * target (sometimes down through the stop and up through the target with no watch between, the race in which
     * both legs of an emulated pair fill), time passing, an OCO pair on what is held, modifications of working
     * orders, a close, a bulk cancel, another bracket. The accounts' blocks are interleaved.
     */
    private static List<Scenario.Step> operations(List<Scenario.AccountSetup> accounts, List<Scenario.Step> work,
                                                  SplittableRandom ops) {
        List<List<Scenario.Step>> blocks = new ArrayList<>();
        for (Scenario.AccountSetup a : accounts) {
            if (ops.nextInt(OPERATIONS_ONE_IN) != 0) {
                continue;
            }
            Map<Symbol, BigDecimal> prices = new TreeMap<>(a.prices());
            for (Scenario.Step step : work) {
                if (step instanceof Scenario.MovePrices m && m.accountId().equals(a.id())) {
                    prices.putAll(m.prices());
                }
            }
            List<Symbol> symbols = new ArrayList<>(new TreeSet<>(a.targets().keySet()));
            a.positions().keySet().stream().filter(s -> !symbols.contains(s)).sorted().forEach(symbols::add);
            Symbol symbol = symbols.get(ops.nextInt(symbols.size()));
            List<Scenario.Step> block = new ArrayList<>();
            block.add(bracket(a, symbol, prices.get(symbol), ops));
            int more = 2 + ops.nextInt(6);
            for (int i = 0; i < more; i++) {
                BigDecimal price = prices.get(symbol);
                switch (ops.nextInt(10)) {
                    case 0, 1 -> block.add(new Scenario.Watch(a.id()));
                    case 2 -> {
                        BigDecimal moved = Money.price(price.multiply(BigDecimal.valueOf(85 + ops.nextInt(31), 2)));
                        prices.put(symbol, moved);
                        block.add(new Scenario.MovePrices(a.id(), Map.of(symbol, moved)));
                    }
                    case 3 -> {
                        // down through the stop, then up through the target, before anyone looks
                        BigDecimal down = Money.price(price.multiply(BigDecimal.valueOf(85 + ops.nextInt(10), 2)));
                        BigDecimal up = Money.price(price.multiply(BigDecimal.valueOf(106 + ops.nextInt(10), 2)));
                        prices.put(symbol, up);
                        block.add(new Scenario.MovePrices(a.id(), Map.of(symbol, down)));
                        if (ops.nextBoolean()) {
                            block.add(new Scenario.AdvanceTime(Duration.ofSeconds(ops.nextInt(30))));
                        }
                        block.add(new Scenario.MovePrices(a.id(), Map.of(symbol, up)));
                        block.add(new Scenario.Watch(a.id()));
                    }
                    case 4 -> block.add(new Scenario.AdvanceTime(Duration.ofSeconds(ops.nextInt(300))));
                    case 5 -> block.add(new Scenario.Oco(a.id(), symbols.get(ops.nextInt(symbols.size())),
                            BigDecimal.valueOf(20 + ops.nextInt(81), 2), offset(ops, 2, 8),
                            ops.nextInt(3) == 0 ? offset(ops, 1, 2) : null, offset(ops, 2, 8)));
                    case 6 -> block.add(new Scenario.Modify(a.id(), ops.nextInt(8), offset(ops, 1, 10),
                            ops.nextInt(3) == 0 ? BigDecimal.valueOf(50 + ops.nextInt(71), 2) : null));
                    case 7 -> block.add(ops.nextInt(3) == 0 ? new Scenario.CancelAll(a.id())
                            : new Scenario.Close(a.id(), symbol));
                    default -> block.add(bracket(a, symbol, price, ops));
                }
            }
            blocks.add(block);
        }
        List<Scenario.Step> steps = new ArrayList<>();
        while (!blocks.isEmpty()) {
            List<Scenario.Step> block = blocks.get(ops.nextInt(blocks.size()));
            steps.add(block.removeFirst());
            if (block.isEmpty()) {
                blocks.remove(block);
            }
        }
        return steps;
    }

    /** A bracket of a few shares (a twentieth to a third of the account's starting cash, at least one share). */
    static Scenario.Bracket bracket(Scenario.AccountSetup a, Symbol symbol, BigDecimal price,
                                            SplittableRandom ops) {
        BigDecimal budget = a.cash().multiply(BigDecimal.valueOf(5 + ops.nextInt(29), 2));
        BigDecimal quantity = budget.divide(price, 0, RoundingMode.DOWN).max(BigDecimal.ONE);
        if (ops.nextInt(4) == 0) {
            quantity = quantity.add(BigDecimal.valueOf(ops.nextInt(1000), 3)); // fractional shares
        }
        BigDecimal entry = ops.nextBoolean() ? null : BigDecimal.valueOf(ops.nextInt(21) - 10, 3); // -1 % to +1 %
        return new Scenario.Bracket(a.id(), symbol, quantity, entry, offset(ops, 2, 8),
                ops.nextInt(3) == 0 ? offset(ops, 1, 2) : null, offset(ops, 2, 8));
    }

    /** A fraction of the mid between {@code lowPercent} and {@code highPercent}, in 0.1 % steps. */
    private static BigDecimal offset(SplittableRandom ops, int lowPercent, int highPercent) {
        return BigDecimal.valueOf(lowPercent * 10 + ops.nextInt((highPercent - lowPercent) * 10 + 1), 3);
    }

    private static Scenario.AccountSetup account(String id, SplittableRandom r, int fallbacks,
                                                 boolean allowDegraded, boolean orderClasses) {
        List<String> pool = new ArrayList<>(UNIVERSE);
        Collections.shuffle(pool, new java.util.Random(r.nextLong()));
        Map<Symbol, BigDecimal> prices = new TreeMap<>();
        for (String s : UNIVERSE) {
            prices.put(Symbol.of(s), BigDecimal.valueOf(1000 + r.nextInt(49_000), 2)); // $10.00 - $499.99
        }
        int targetCount = 1 + r.nextInt(5);
        Map<Symbol, BigDecimal> targets = weights(pool.subList(0, targetCount), r);
        Map<Symbol, BigDecimal> positions = new TreeMap<>();
        int held = r.nextInt(5);
        for (int i = 0; i < held; i++) {
            Symbol s = Symbol.of(pool.get(r.nextInt(pool.size())));
            BigDecimal qty = r.nextInt(4) == 0 ? BigDecimal.valueOf(1 + r.nextInt(200_000), 3)
                    : BigDecimal.valueOf(1 + r.nextInt(200));
            positions.put(s, qty);
        }
        BigDecimal cash = BigDecimal.valueOf(r.nextInt(5_000_000), 2); // up to $50,000
        List<FaultRule> faults = new ArrayList<>();
        int faultCount = r.nextInt(5);
        for (int i = 0; i < faultCount; i++) {
            faults.add(fault(r, targets));
        }
        if (r.nextInt(6) == 0) {
            faults.addFirst(outage(r));
        }
        // A broker keeps the contract Keel is configured with: its lookups see an order within the visibility grace
        // (law 4's premise). Lags past the grace (drawn up to 3 s before) made Keel take an order it could not yet
        // see as absent, which no engine can tell apart (soak seeds 1011497, 1013595, 1018332); the reconcile is
        // what catches such a broker, and docs/operations.md says to set the grace above the broker's lag.
        long lagSteps = Simulation.SETTINGS.visibilityGrace().dividedBy(LAG_STEP);
        Duration lag = r.nextInt(4) == 0 ? LAG_STEP.multipliedBy(r.nextInt((int) lagSteps + 1)) : Duration.ZERO;
        Duration delayed = r.nextInt(6) == 0 ? Duration.ofSeconds(1 + r.nextInt(180)) : null;
        BigDecimal drift = BigDecimal.valueOf(1 + r.nextInt(10), 2);
        BigDecimal minTrade = BigDecimal.valueOf(1 + r.nextInt(50)).setScale(2, RoundingMode.UNNECESSARY);
        BigDecimal buffer = BigDecimal.valueOf(r.nextInt(5), 2);
        return new Scenario.AccountSetup(id, r.nextLong(), cash, positions, prices, targets, drift, minTrade, buffer,
                faults, lag, delayed, fallbacks, allowDegraded, orderClasses);
    }

    /** Weights in 0.0001 steps over {@code symbols}, summing to exactly 1. */
    private static Map<Symbol, BigDecimal> weights(List<String> symbols, SplittableRandom r) {
        int[] raw = new int[symbols.size()];
        int total = 0;
        for (int i = 0; i < raw.length; i++) {
            raw[i] = 1 + r.nextInt(100);
            total += raw[i];
        }
        Map<Symbol, BigDecimal> weights = new TreeMap<>();
        int left = 10_000;
        for (int i = 0; i < raw.length; i++) {
            int w = i == raw.length - 1 ? left : Math.max(1, raw[i] * 10_000 / total);
            left -= w;
            weights.put(Symbol.of(symbols.get(i)), BigDecimal.valueOf(w, 4));
        }
        return weights;
    }

    /**
     * A broker outage: every call (or every submit) fails with a server error for its first {@code K} calls, enough
     * to open breakers, spend the retry budget and leave orders UNKNOWN; then the broker recovers.
     */
    private static FaultRule outage(SplittableRandom r) {
        FaultRule outage = FaultRule.serverError(500 + r.nextInt(4)).withProbability(1.0).withTimes(5 + r.nextInt(40));
        return r.nextBoolean() ? outage : outage.withOp(BrokerCall.SUBMIT);
    }

    private static FaultRule fault(SplittableRandom r, Map<Symbol, BigDecimal> targets) {
        FaultKind kind = KINDS[r.nextInt(KINDS.length)];
        FaultRule rule = switch (kind) {
            case REJECT -> FaultRule.reject(REASONS[r.nextInt(REASONS.length)]);
            case RATE_LIMITED -> FaultRule.rateLimited(Duration.ofMillis(500L * r.nextInt(7)));
            case SERVER_ERROR -> FaultRule.serverError(500 + r.nextInt(4));
            case TIMEOUT_BEFORE_ACCEPT -> FaultRule.timeoutBeforeAccept();
            case TIMEOUT_AFTER_ACCEPT -> FaultRule.timeoutAfterAccept();
            case CONNECTION_RESET -> FaultRule.connectionReset();
            case SLOW -> FaultRule.slow(Duration.ofMillis(100L * (1 + r.nextInt(50))));
            case PARTIAL_FILL -> FaultRule.partialFill(BigDecimal.valueOf(1 + r.nextInt(9), 1));
            case NO_FILL -> FaultRule.noFill();
            case STALE_QUOTE -> FaultRule.staleQuote(Duration.ofMinutes(1 + r.nextInt(60)));
            case NO_QUOTE -> FaultRule.noQuote();
            case STREAM_DROP -> throw new IllegalStateException("stream-drop is never drawn");
        };
        BrokerCall op = switch (kind) {
            case PARTIAL_FILL, NO_FILL -> BrokerCall.SUBMIT;
            case STALE_QUOTE, NO_QUOTE -> BrokerCall.QUOTE;
            // Most faults that matter hit order placement; the rest spread over every other call.
            default -> r.nextInt(2) == 0 ? BrokerCall.SUBMIT : OPS[r.nextInt(OPS.length)];
        };
        rule = rule.withOp(op);
        if (r.nextInt(3) == 0 && op != BrokerCall.ACCOUNT && op != BrokerCall.CLOCK
                && op != BrokerCall.POSITIONS && op != BrokerCall.OPEN_ORDERS) {
            List<Symbol> symbols = new ArrayList<>(targets.keySet());
            rule = rule.withSymbol(symbols.get(r.nextInt(symbols.size())));
        }
        if (r.nextBoolean()) {
            rule = rule.withNth(1 + r.nextInt(8));
            rule = rule.withTimes(1 + r.nextInt(2));
        } else {
            rule = rule.withProbability(0.05 + r.nextDouble() * 0.35);
            if (r.nextBoolean()) {
                rule = rule.withTimes(1 + r.nextInt(4));
            }
        }
        return rule;
    }

    /**
     * One time in three, one target's price jumps wildly (x2.5 to x4, or to a fifth to two fifths): a bad tick, or a
     * real move, that the outlier check must refuse to size an order on.
     */
    private static Map<Symbol, BigDecimal> jumped(Map<Symbol, BigDecimal> moved, Scenario.AccountSetup a,
                                                  SplittableRandom md) {
        if (md.nextInt(3) != 0) {
            return moved;
        }
        List<Symbol> targets = new ArrayList<>(a.targets().keySet());
        Symbol symbol = targets.get(md.nextInt(targets.size()));
        BigDecimal factor = md.nextBoolean() ? BigDecimal.valueOf(250 + md.nextInt(151), 2)
                : BigDecimal.valueOf(20 + md.nextInt(21), 2);
        Map<Symbol, BigDecimal> jumped = new TreeMap<>(moved);
        jumped.put(symbol, Money.price(a.prices().get(symbol).multiply(factor)));
        return jumped;
    }

    private static Map<Symbol, BigDecimal> moved(Map<Symbol, BigDecimal> prices, SplittableRandom r) {
        Map<Symbol, BigDecimal> moved = new TreeMap<>();
        prices.forEach((s, p) -> moved.put(s, Money.price(p.multiply(
                BigDecimal.valueOf(80 + r.nextInt(41), 2))).max(new BigDecimal("1.0000"))));
        return moved;
    }
}

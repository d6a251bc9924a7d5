package dev.keel.sim;

import dev.keel.core.model.Symbol;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Draws the {@link Scenario.Concurrent} steps of a scenario from a random stream of their own, so every other draw of
 * a seed stays as it was and a seed without them runs exactly as before: for one scenario in
 * {@value #CONCURRENT_ONE_IN}, one or two steps, each at a random place after its account's first rebalance, in which
 * two to four callers meet on the account.
 */
final class ConcurrentSteps {
    private static final long STREAM = 0x636F6E6375727265L;
    /** The share of scenarios with concurrent steps: one in three. */
    static final int CONCURRENT_ONE_IN = 3;

    private ConcurrentSteps() {
    }

    /** The concurrency stream of a seed; its first draw decides whether the scenario has concurrent steps. */
    static SplittableRandom stream(long seed) {
        return new SplittableRandom(seed ^ STREAM);
    }

    /** The lease timeout of the scenario's engines: 5 s to 60 s, so some waits run out and most do not. */
    static Duration leaseTimeout(SplittableRandom c) {
        return Duration.ofSeconds(5 + c.nextInt(56));
    }

    /** {@code work} with the concurrent steps inserted, or {@code work} itself when the seed draws none. */
    static List<Scenario.Step> insert(List<Scenario.Step> work, List<Scenario.AccountSetup> accounts,
                                      SplittableRandom c) {
        if (c.nextInt(CONCURRENT_ONE_IN) != 0) {
            return work;
        }
        List<Scenario.Step> steps = new ArrayList<>(work);
        int count = 1 + c.nextInt(2);
        for (int i = 0; i < count; i++) {
            Scenario.AccountSetup a = accounts.get(c.nextInt(accounts.size()));
            int first = 0;
            while (first < steps.size() && !(steps.get(first) instanceof Scenario.Rebalance r
                    && r.accountId().equals(a.id()))) {
                first++;
            }
            int at = first + 1 + c.nextInt(steps.size() - first);
            steps.add(Math.min(at, steps.size()), step(a, c));
        }
        return steps;
    }

    /**
     * Two to four callers on one account: a rebalance, a second process starting and recovering, a protection watch
     * pass, an operator's halt (resumed half the time), an order operation (a bracket, a close or a bulk cancel), the
     * lease's holder stalling past it, and now and then a clean shutdown of a process. A caller other than the recovery runs on the second process one
     * time in three.
     */
    private static Scenario.Concurrent step(Scenario.AccountSetup a, SplittableRandom c) {
        int n = 2 + c.nextInt(3);
        List<Scenario.Caller> callers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int process = c.nextInt(3) == 0 ? 1 : 0;
            Scenario.Step step = switch (c.nextInt(15)) {
                case 0, 1, 2, 3 -> new Scenario.Rebalance(a.id());
                case 4, 5 -> new Scenario.Recover();
                case 6, 7 -> new Scenario.Watch(a.id());
                case 8, 9 -> new Scenario.Halt(a.id(), c.nextBoolean());
                case 10, 11 -> operation(a, c);
                case 12, 13 -> new Scenario.Stall(a.id());
                default -> new Scenario.Shutdown();
            };
            callers.add(new Scenario.Caller(step instanceof Scenario.Recover ? 1 : process, step));
        }
        return new Scenario.Concurrent(a.id(), callers);
    }

    private static Scenario.Step operation(Scenario.AccountSetup a, SplittableRandom c) {
        List<Symbol> symbols = new ArrayList<>(new TreeSet<>(a.targets().keySet()));
        Symbol symbol = symbols.get(c.nextInt(symbols.size()));
        return switch (c.nextInt(3)) {
            case 0 -> new Scenario.Close(a.id(), symbol);
            case 1 -> new Scenario.CancelAll(a.id());
            default -> {
                BigDecimal price = new TreeMap<>(a.prices()).getOrDefault(symbol, BigDecimal.TEN);
                yield ScenarioGenerator.bracket(a, symbol, price, c);
            }
        };
    }
}

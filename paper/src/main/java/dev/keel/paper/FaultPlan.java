package dev.keel.paper;

import dev.keel.core.model.Symbol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The fault rules with their counters and their seeded generator: decides which rules fire on a call. */
final class FaultPlan {
    private final List<FaultRule> rules;
    private final int[] matched;
    private final int[] fired;
    private final SplitMix64 random;

    FaultPlan(List<FaultRule> rules, long seed) {
        this.rules = List.copyOf(rules);
        this.matched = new int[rules.size()];
        this.fired = new int[rules.size()];
        this.random = new SplitMix64(seed);
    }

    /** Counts the call against every selecting rule and returns those that fire, in plan order. */
    Decision decide(BrokerCall call, Symbol symbol) {
        List<Fired> firing = new ArrayList<>();
        boolean decided = false;
        for (int i = 0; i < rules.size(); i++) {
            FaultRule rule = rules.get(i);
            if (!rule.selects(call, symbol)) {
                continue;
            }
            matched[i]++;
            if (decided && rule.kind() != FaultKind.SLOW) {
                continue; // the outcome is taken; the call still counts towards this rule's nth
            }
            if (fires(rule, i)) {
                fired[i]++;
                firing.add(new Fired(i, rule));
                decided |= rule.kind() != FaultKind.SLOW;
            }
        }
        return new Decision(List.copyOf(firing));
    }

    private boolean fires(FaultRule rule, int i) {
        if (rule.nth() != null && rule.nth() != matched[i]) {
            return false;
        }
        if (rule.times() != null && fired[i] >= rule.times()) {
            return false;
        }
        // drawn only when everything else matched, so adding a rule elsewhere does not shift this one's draws
        return rule.probability() == null || random.nextDouble() < rule.probability();
    }

    List<FaultRule> rules() {
        return rules;
    }

    int matched(int rule) {
        return matched[rule];
    }

    int fired(int rule) {
        return fired[rule];
    }

    long randomState() {
        return random.state();
    }

    /** Restores saved counters of rule {@code rule}. */
    void restore(int rule, int matchedCount, int firedCount) {
        matched[rule] = matchedCount;
        fired[rule] = firedCount;
    }

    void restoreRandom(long state) {
        random.restore(state);
    }

    /** A rule that fired on a call. */
    record Fired(int index, FaultRule rule) {
    }

    /** The rules that fired on one call: any number of slow ones, at most one other. */
    record Decision(List<Fired> fired) {
        Duration slowness() {
            Duration total = Duration.ZERO;
            for (Fired f : fired) {
                if (f.rule().kind() == FaultKind.SLOW) {
                    total = total.plus(f.rule().duration());
                }
            }
            return total;
        }

        Optional<FaultRule> outcome() {
            return fired.stream().map(Fired::rule).filter(r -> r.kind() != FaultKind.SLOW).findFirst();
        }
    }
}

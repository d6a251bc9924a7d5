package dev.keel.sim;

import dev.keel.core.error.Severity;
import dev.keel.notify.alert.EscalationPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How a scenario's alerts are raised and escalated, drawn from a stream of its own (so every other draw of a seed stays
 * as it was): the escalation policy, and how many escalation passes race a second escalator.
 *
 * @param policy       the policy the outbox raises alerts by and every escalator escalates by
 * @param passInterval simulated time between escalation passes ({@link #PASS_INTERVAL}, keel serve's)
 * @param races        how many passes, at most, run two escalators at once (two processes) with the operator: half
 *                     of those with something due, until these are spent (threads and hand-offs cost wall time)
 * @param operatorSeed the seed of the simulated operator's choices, drawn per alert from it and the alert's id
 */
record SimAlerting(EscalationPolicy policy, Duration passInterval, int races, long operatorSeed) {
    /** Between two escalation passes: 1 min, as {@code keel serve} schedules them. */
    static final Duration PASS_INTERVAL = Duration.ofMinutes(1);
    /** The only channel of the simulation's outbox; every tier pages it. */
    static final List<String> CHANNEL = List.of("sim");
    private static final long ALERTING_STREAM = 0x616C657274696E67L;

    /**
     * One scenario in four escalates by the requirement's defaults (HIGH after 15 min, MEDIUM after 30 min; CRITICAL
     * goes everywhere at once, so it has no tier left); the others by a drawn policy in which every severity from
     * MEDIUM up may have tiers (CRITICAL one to three), the first 1 to 20 min after the notification, each next one 1
     * to 30 min later, and now and then only HIGH and up raise alerts. One scenario in three races up to three of its
     * passes.
     */
    static SimAlerting draw(long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ ALERTING_STREAM);
        EscalationPolicy policy;
        if (r.nextInt(4) == 0) {
            policy = EscalationPolicy.defaults(CHANNEL, CHANNEL);
        } else {
            Map<Severity, List<EscalationPolicy.Tier>> tiers = new EnumMap<>(Severity.class);
            tiers.put(Severity.CRITICAL, tiers(r, 1 + r.nextInt(3)));
            tiers.put(Severity.HIGH, tiers(r, r.nextInt(3)));
            tiers.put(Severity.MEDIUM, tiers(r, r.nextInt(3)));
            policy = new EscalationPolicy(r.nextInt(5) == 0 ? Severity.HIGH : EscalationPolicy.DEFAULT_RAISE_FROM,
                    tiers);
        }
        int races = r.nextInt(3) == 0 ? 1 + r.nextInt(3) : 0;
        return new SimAlerting(policy, PASS_INTERVAL, races, r.nextLong());
    }

    private static List<EscalationPolicy.Tier> tiers(SplittableRandom r, int count) {
        List<EscalationPolicy.Tier> tiers = new ArrayList<>();
        Duration after = Duration.ZERO;
        for (int i = 0; i < count; i++) {
            after = after.plusMinutes(i == 0 ? 1 + r.nextInt(20) : 1 + r.nextInt(30));
            tiers.add(new EscalationPolicy.Tier(after, CHANNEL));
        }
        return tiers;
    }

    /** The latest delay of any tier: how long past the last alert a run goes on escalating, at least. */
    Duration longestDelay() {
        return policy.tiers().values().stream().filter(l -> !l.isEmpty()).map(l -> l.getLast().after())
                .max(Duration::compareTo).orElse(Duration.ZERO);
    }
}

package dev.keel.notify.pattern;

import dev.keel.core.error.ErrorCode;
import dev.keel.notify.history.ErrorOccurrence;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Finds correlations: per code, a window of {@code correlationWindow} in which at least {@code correlationAccounts}
 * accounts had it. Overlapping such windows make one finding, with every account they hold. It is reported when
 * errors at random times, at each account's rate outside the finding, would put that many accounts in a window
 * after one of the code's errors with an expected count under {@code chance}: busy accounts meet by luck, a broker
 * outage puts quiet ones together.
 */
final class Correlations {
    private Correlations() {
    }

    static List<ErrorPattern.Correlation> find(List<ErrorOccurrence> all, PatternSettings s,
                                               Function<String, String> brokerOf, Duration span) {
        Map<ErrorCode, List<ErrorOccurrence>> byCode = new LinkedHashMap<>();
        for (ErrorOccurrence o : all) {
            byCode.computeIfAbsent(o.code(), k -> new ArrayList<>()).add(o);
        }
        List<ErrorPattern.Correlation> out = new ArrayList<>();
        List<ErrorPattern.Correlation> candidates = new ArrayList<>();
        byCode.values().forEach(list -> find(list, s, brokerOf, candidates));
        for (ErrorPattern.Correlation c : candidates) {
            if (unlikely(c, byCode.get(c.code()), s, span)) {
                out.add(c);
            }
        }
        return out;
    }

    /** Whether chance, at the rates seen outside {@code c}, would rarely bring that many accounts together. */
    private static boolean unlikely(ErrorPattern.Correlation c, List<ErrorOccurrence> list, PatternSettings s,
                                    Duration span) {
        Instant end = c.lastAt().plus(s.correlationWindow());
        Map<String, Integer> outside = new HashMap<>();
        int anchors = 1;
        for (ErrorOccurrence o : list) {
            outside.putIfAbsent(o.accountId(), 0);
            if (o.at().isBefore(c.firstAt()) || o.at().isAfter(end)) {
                outside.merge(o.accountId(), 1, Integer::sum);
                anchors++;
            }
        }
        double w = (double) s.correlationWindow().toMillis() / Math.max(1, span.toMillis());
        double[] p = outside.values().stream().mapToDouble(n -> 1 - Math.exp(-n * w)).toArray();
        // after one error, the others of the finding within the window
        return anchors * Chance.atLeast(p, c.accounts().size() - 1) < s.chance();
    }

    private static void find(List<ErrorOccurrence> list, PatternSettings s, Function<String, String> brokerOf,
                             List<ErrorPattern.Correlation> out) {
        int n = list.size();
        Map<String, Integer> inWindow = new HashMap<>();
        int j = 0;
        int clusterStart = -1;
        int clusterEnd = -1;
        for (int i = 0; i < n; i++) {
            Instant end = list.get(i).at().plus(s.correlationWindow());
            while (j < n && !list.get(j).at().isAfter(end)) {
                inWindow.merge(list.get(j).accountId(), 1, Integer::sum);
                j++;
            }
            if (inWindow.size() >= s.correlationAccounts()) {
                if (clusterStart >= 0 && i > clusterEnd) {
                    emit(list, clusterStart, clusterEnd, brokerOf, out);
                    clusterStart = -1;
                }
                if (clusterStart < 0) {
                    clusterStart = i;
                }
                clusterEnd = Math.max(clusterEnd, j - 1);
            }
            inWindow.computeIfPresent(list.get(i).accountId(), (k, v) -> v == 1 ? null : v - 1);
        }
        if (clusterStart >= 0) {
            emit(list, clusterStart, clusterEnd, brokerOf, out);
        }
    }

    private static void emit(List<ErrorOccurrence> list, int from, int to, Function<String, String> brokerOf,
                             List<ErrorPattern.Correlation> out) {
        TreeSet<String> accounts = new TreeSet<>();
        TreeSet<String> brokers = new TreeSet<>();
        for (int k = from; k <= to; k++) {
            accounts.add(list.get(k).accountId());
            String broker = brokerOf.apply(list.get(k).accountId());
            brokers.add(broker == null ? "?" : broker);
        }
        String scope = brokers.size() == 1 && !brokers.contains("?") ? "broker:" + brokers.first() : "*";
        out.add(new ErrorPattern.Correlation(list.get(from).code(), scope, new ArrayList<>(accounts), to - from + 1,
                list.get(from).at(), list.get(to).at()));
    }
}

package dev.keel.notify.pattern;

import dev.keel.core.error.ErrorCode;
import dev.keel.notify.history.ErrorOccurrence;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds sequences: per account, a code A followed by another code B within {@code sequenceWithin} after at least
 * {@code sequenceConfidence} of A's occurrences, at least {@code sequenceSupport} times, and {@code sequenceLift}
 * times as often as B follows any moment of the period (so a B that comes all the time is not "caused" by A).
 */
final class Sequences {
    private Sequences() {
    }

    static List<ErrorPattern.Sequence> find(List<ErrorOccurrence> all, PatternSettings s, Instant from, Instant to) {
        Map<String, Map<ErrorCode, List<Instant>>> byAccount = new LinkedHashMap<>();
        for (ErrorOccurrence o : all) {
            byAccount.computeIfAbsent(o.accountId(), k -> new EnumMap<>(ErrorCode.class))
                    .computeIfAbsent(o.code(), k -> new ArrayList<>()).add(o.at());
        }
        List<ErrorPattern.Sequence> out = new ArrayList<>();
        long span = Math.max(1, Duration.between(from, to).toMillis());
        byAccount.forEach((account, codes) -> codes.forEach((a, leaders) -> codes.forEach((b, followers) -> {
            if (a != b && leaders.size() >= s.sequenceSupport()) {
                ErrorPattern.Sequence found = pair(account, a, leaders, b, followers, s, span);
                if (found != null) {
                    out.add(found);
                }
            }
        })));
        return out;
    }

    private static ErrorPattern.Sequence pair(String account, ErrorCode a, List<Instant> leaders, ErrorCode b,
                                              List<Instant> followers, PatternSettings s, long span) {
        long within = s.sequenceWithin().toMillis();
        List<Long> lags = new ArrayList<>();
        int j = 0;
        for (Instant t : leaders) {
            while (j < followers.size() && !followers.get(j).isAfter(t)) {
                j++;
            }
            if (j < followers.size() && Duration.between(t, followers.get(j)).toMillis() <= within) {
                lags.add(Duration.between(t, followers.get(j)).toMillis());
            }
        }
        int followed = lags.size();
        double confidence = (double) followed / leaders.size();
        if (followed < s.sequenceSupport() || confidence < s.sequenceConfidence()) {
            return null;
        }
        // chance: the share of the period from which a B comes within the window (the union of [b - within, b))
        long covered = 0;
        long reach = Long.MIN_VALUE;
        for (Instant f : followers) {
            long end = f.toEpochMilli();
            long start = Math.max(end - within, reach);
            covered += Math.max(0, end - start);
            reach = Math.max(reach, end);
        }
        double chance = Math.min(1.0, (double) covered / span);
        double lift = chance == 0 ? Double.POSITIVE_INFINITY : confidence / chance;
        if (lift < s.sequenceLift()) {
            return null;
        }
        Collections.sort(lags);
        return new ErrorPattern.Sequence(a, b, account, leaders.size(), followed, confidence,
                Math.min(lift, 999.0), Duration.ofMillis(lags.get(lags.size() / 2)), leaders.getFirst(),
                followers.getLast());
    }
}

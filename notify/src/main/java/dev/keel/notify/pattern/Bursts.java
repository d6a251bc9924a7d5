package dev.keel.notify.pattern;

import dev.keel.core.error.ErrorCode;
import dev.keel.notify.history.ErrorOccurrence;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds bursts: per code and account, every error that lies in some window of {@code burstWindow} holding at least
 * {@code burstCount} errors is "dense"; dense errors no further than a window apart make one burst.
 */
final class Bursts {
    private Bursts() {
    }

    static List<ErrorPattern.Burst> find(List<ErrorOccurrence> all, PatternSettings s) {
        Map<String, List<ErrorOccurrence>> byKey = new LinkedHashMap<>();
        for (ErrorOccurrence o : all) {
            byKey.computeIfAbsent(o.code() + "\n" + o.accountId(), k -> new ArrayList<>()).add(o);
        }
        List<ErrorPattern.Burst> out = new ArrayList<>();
        byKey.values().forEach(list -> find(list, s, out));
        return out;
    }

    private static void find(List<ErrorOccurrence> list, PatternSettings s, List<ErrorPattern.Burst> out) {
        int n = list.size();
        Duration w = s.burstWindow();
        // cover[i] > 0 when some dense window holds error i: +1 where a dense window starts, -1 after it ends
        int[] cover = new int[n + 1];
        int j = 0;
        for (int i = 0; i < n; i++) {
            Instant end = list.get(i).at().plus(w);
            while (j < n && !list.get(j).at().isAfter(end)) {
                j++;
            }
            if (j - i >= s.burstCount()) {
                cover[i]++;
                cover[j]--;
            }
        }
        ErrorCode code = list.getFirst().code();
        String account = list.getFirst().accountId();
        int depth = 0;
        int start = -1;
        for (int i = 0; i <= n; i++) {
            depth += cover[i];
            boolean dense = i < n && depth > 0;
            boolean joins = dense && start >= 0
                    && !list.get(i).at().isAfter(list.get(i - 1).at().plus(w));
            if (start >= 0 && !joins) {
                out.add(new ErrorPattern.Burst(code, account, i - start, list.get(start).at(), list.get(i - 1).at(),
                        w));
                start = -1;
            }
            if (dense && start < 0) {
                start = i;
            }
        }
    }
}

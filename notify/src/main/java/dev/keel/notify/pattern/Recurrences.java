package dev.keel.notify.pattern;

import dev.keel.notify.history.ErrorOccurrence;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Finds recurrences: per code and account, the time-of-day slot (of {@code recurrenceSlot}, tried at every half
 * slot so 09:59 and 10:01 fall together) in which the error happened on the most days (then the most errors). It
 * recurs when those days are at least {@code recurrenceDays} and errors at random times would fill some slot on that
 * many days with a probability under {@code chance}: a day with n errors has one in a given slot with probability
 * 1 - (1 - slot/day)^n, counting the slot's own errors of that day as one (a storm at 10:00 is one event, not a
 * reason to expect errors everywhere). So an error that comes all day long has no time of its own. Times are UTC.
 */
final class Recurrences {
    private static final long DAY_SECONDS = 86_400;

    private Recurrences() {
    }

    static List<ErrorPattern.Recurrence> find(List<ErrorOccurrence> all, PatternSettings s) {
        Map<String, List<ErrorOccurrence>> byKey = new LinkedHashMap<>();
        for (ErrorOccurrence o : all) {
            byKey.computeIfAbsent(o.code() + "\n" + o.accountId(), k -> new ArrayList<>()).add(o);
        }
        List<ErrorPattern.Recurrence> out = new ArrayList<>();
        for (List<ErrorOccurrence> list : byKey.values()) {
            ErrorPattern.Recurrence r = strongest(list, s);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    private static ErrorPattern.Recurrence strongest(List<ErrorOccurrence> list, PatternSettings s) {
        long slot = s.recurrenceSlot().toSeconds();
        long step = Math.max(1, slot / 2);
        int offsets = (int) (DAY_SECONDS / step);
        // per offset (slot start = offset * step seconds after midnight), the days with an error in the slot
        List<TreeSet<LocalDate>> days = new ArrayList<>();
        int[] counts = new int[offsets];
        for (int k = 0; k < offsets; k++) {
            days.add(new TreeSet<>());
        }
        Map<LocalDate, Integer> perDay = new java.util.HashMap<>();
        for (ErrorOccurrence o : list) {
            long second = o.at().atOffset(ZoneOffset.UTC).toLocalTime().toSecondOfDay();
            LocalDate day = o.at().atOffset(ZoneOffset.UTC).toLocalDate();
            perDay.merge(day, 1, Integer::sum);
            for (int k = 0; k < offsets; k++) {
                long start = k * step;
                long into = Math.floorMod(second - start, DAY_SECONDS);
                if (into < slot) {
                    // a slot that crosses midnight belongs to the day it starts on
                    days.get(k).add(second >= start ? day : day.minusDays(1));
                    counts[k]++;
                }
            }
        }
        int best = 0;
        for (int k = 1; k < offsets; k++) {
            int d = days.get(k).size();
            int b = days.get(best).size();
            if (d > b || d == b && counts[k] > counts[best]) {
                best = k;
            }
        }
        int found = days.get(best).size();
        if (found < s.recurrenceDays()) {
            return null;
        }
        long bestStart = best * step;
        Map<LocalDate, Integer> outside = new java.util.HashMap<>();
        perDay.keySet().forEach(d -> outside.put(d, 0));
        for (ErrorOccurrence o : list) {
            long second = o.at().atOffset(ZoneOffset.UTC).toLocalTime().toSecondOfDay();
            if (Math.floorMod(second - bestStart, DAY_SECONDS) >= slot) {
                outside.merge(o.at().atOffset(ZoneOffset.UTC).toLocalDate(), 1, Integer::sum);
            }
        }
        double share = (double) slot / DAY_SECONDS;
        double[] p = new double[outside.size()];
        int i = 0;
        for (Map.Entry<LocalDate, Integer> day : outside.entrySet()) {
            int n = day.getValue() + (days.get(best).contains(day.getKey()) ? 1 : 0);
            p[i++] = 1 - Math.pow(1 - share, n);
        }
        // any of the day's independent slots could have been the one
        if (Chance.atLeast(p, found) * (DAY_SECONDS / slot) >= s.chance()) {
            return null;
        }
        long start = best * step;
        int count = 0;
        Instant first = null;
        Instant last = null;
        for (ErrorOccurrence o : list) {
            long second = o.at().atOffset(ZoneOffset.UTC).toLocalTime().toSecondOfDay();
            if (Math.floorMod(second - start, DAY_SECONDS) < slot) {
                count++;
                first = first == null ? o.at() : first;
                last = o.at();
            }
        }
        LocalTime from = LocalTime.ofSecondOfDay(start);
        LocalTime to = LocalTime.ofSecondOfDay((start + slot) % DAY_SECONDS);
        return new ErrorPattern.Recurrence(list.getFirst().code(), list.getFirst().accountId(), from, to,
                new ArrayList<>(days.get(best)), count, first, last);
    }
}

package dev.keel.app.config;

import java.util.Collection;
import java.util.Optional;

/** "Did you mean": the known word nearest to a misspelling, when it is near enough to be the likely intent. */
final class Suggestion {
    private Suggestion() {
    }

    static Optional<String> nearest(String typed, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(typed.toLowerCase(java.util.Locale.ROOT), candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        // One edit for short words, up to three for long ones: beyond that the "suggestion" is noise.
        int allowed = Math.max(1, Math.min(3, typed.length() / 3));
        if (bestDistance <= allowed) {
            return Optional.ofNullable(best);
        }
        // A word cut short at a dash ("drift" for "drift-threshold") is as likely an intent as a typo.
        String lower = typed.toLowerCase(java.util.Locale.ROOT);
        return known.stream().filter(k -> k.startsWith(lower + "-") || k.endsWith("-" + lower)).findFirst();
    }

    /** "; did you mean 'latency'?" or nothing. */
    static String didYouMean(String typed, Collection<String> known) {
        return nearest(typed, known).map(s -> "; did you mean '" + s + "'?").orElse("");
    }

    /** Edit distance where swapping two neighbouring letters ("latnecy") counts as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}

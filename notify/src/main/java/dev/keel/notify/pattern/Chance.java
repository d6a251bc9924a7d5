package dev.keel.notify.pattern;

/** How likely chance alone is to produce what a finder found: the tail of a sum of independent coin flips. */
final class Chance {
    private Chance() {
    }

    /** The probability that at least {@code k} of the independent events with probabilities {@code p} happen. */
    static double atLeast(double[] p, int k) {
        if (k <= 0) {
            return 1;
        }
        if (k > p.length) {
            return 0;
        }
        // dist[j]: the probability that exactly j of the events so far happened (j < k), the rest folded into tail
        double[] dist = new double[k];
        dist[0] = 1;
        double tail = 0;
        for (double q : p) {
            tail += dist[k - 1] * q;
            for (int j = k - 1; j > 0; j--) {
                dist[j] = dist[j] * (1 - q) + dist[j - 1] * q;
            }
            dist[0] *= 1 - q;
        }
        return Math.min(1, tail);
    }
}

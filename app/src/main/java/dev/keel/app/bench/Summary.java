package dev.keel.app.bench;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Median and range of one measurement over repeated runs. */
record Summary(double median, double min, double max) {
    static <T> Summary of(List<T> runs, ToDoubleFunction<T> metric) {
        double[] v = runs.stream().mapToDouble(metric).sorted().toArray();
        if (v.length == 0) {
            return new Summary(Double.NaN, Double.NaN, Double.NaN);
        }
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return new Summary(median, v[0], v[v.length - 1]);
    }

    /** {@code 1,234 (1,200-1,250)} with {@code decimals} digits after the point. */
    String format(int decimals) {
        String f = "%,." + decimals + "f";
        return String.format(f, median) + " (" + String.format(f, min) + "-" + String.format(f, max) + ")";
    }

    @Override
    public String toString() {
        return Arrays.toString(new double[] {median, min, max});
    }
}

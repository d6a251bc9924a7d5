package dev.keel.core.execution;

import java.util.Locale;

/** How the wait between attempts grows; {@link RetryPolicy} multiplies its initial delay by {@link #factor}. */
public enum Backoff {
    /** {@code initial * multiplier^(n-1)}: 1s, 2s, 4s, 8s with multiplier 2. */
    EXPONENTIAL,
    /** {@code initial * n}: 1s, 2s, 3s, 4s. */
    LINEAR,
    /** {@code initial} every time. */
    FIXED,
    /** {@code initial * F(n)} with F = 1, 1, 2, 3, 5, 8...: 1s, 1s, 2s, 3s, 5s. */
    FIBONACCI;

    /**
     * The factor of the initial delay before attempt {@code failedAttempts + 1}.
     *
     * @param failedAttempts attempts made so far, at least 1
     * @param multiplier     the growth factor, used by {@link #EXPONENTIAL} only
     */
    public double factor(int failedAttempts, double multiplier) {
        int n = Math.max(1, failedAttempts);
        return switch (this) {
            case EXPONENTIAL -> Math.pow(multiplier, n - 1);
            case LINEAR -> n;
            case FIXED -> 1.0;
            case FIBONACCI -> fibonacci(n);
        };
    }

    /** The lower-case name used in configuration: {@code fibonacci}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    private static double fibonacci(int n) {
        double previous = 0;
        double current = 1;
        for (int i = 1; i < n && current < Double.MAX_VALUE; i++) {
            double next = previous + current;
            previous = current;
            current = next;
        }
        return current;
    }
}

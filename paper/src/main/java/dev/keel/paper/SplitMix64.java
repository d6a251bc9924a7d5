package dev.keel.paper;

/**
 * Steele, Lea and Flood's SplitMix64 generator: its whole state is one {@code long}, so the exchange can save it and
 * a restarted exchange continues the same sequence ({@link java.util.SplittableRandom} hides its state). Not
 * thread-safe; the exchange guards it with its lock.
 */
final class SplitMix64 {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    SplitMix64(long state) {
        this.state = state;
    }

    long state() {
        return state;
    }

    void restore(long saved) {
        state = saved;
    }

    long nextLong() {
        state += GOLDEN_GAMMA;
        long z = state;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1), from the top 53 bits. */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [-bound, bound]; bound must be positive and small (well under 2^62). */
    long nextSigned(long bound) {
        return Math.floorMod(nextLong(), 2 * bound + 1) - bound;
    }
}

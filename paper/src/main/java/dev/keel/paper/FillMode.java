package dev.keel.paper;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/** How the exchange fills a marketable order: at once, only a fraction, or after a delay. */
public sealed interface FillMode {
    /** The default: a marketable order fills completely when it arrives. */
    static FillMode immediate() {
        return Immediate.INSTANCE;
    }

    /** Fills {@code fraction} (0 &lt; fraction &le; 1) of the order, then nothing more. */
    static FillMode partial(BigDecimal fraction) {
        return new Partial(fraction);
    }

    /** Fills completely {@code delay} after acceptance (if marketable then; otherwise it rests). */
    static FillMode delayed(Duration delay) {
        return new Delayed(delay);
    }

    /** Fills completely at once. */
    enum Immediate implements FillMode {
        INSTANCE
    }

    /** Fills a fraction of the order and stays partially filled. */
    record Partial(BigDecimal fraction) implements FillMode {
        public Partial {
            Objects.requireNonNull(fraction, "fraction");
            if (fraction.signum() <= 0 || fraction.compareTo(BigDecimal.ONE) > 0) {
                throw new IllegalArgumentException("fraction must be in (0, 1], but was " + fraction);
            }
        }
    }

    /** Fills completely after a delay. */
    record Delayed(Duration delay) implements FillMode {
        public Delayed {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("delay must be at least 0, but was " + delay);
            }
        }
    }
}

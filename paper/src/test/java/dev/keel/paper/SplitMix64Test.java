package dev.keel.paper;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SplitMix64Test {
    @Test
    void matchesTheReferenceSequence() {
        // the published reference outputs of SplitMix64 seeded with 1234567
        SplitMix64 random = new SplitMix64(1234567L);
        assertThat(new long[] {random.nextLong(), random.nextLong(), random.nextLong()})
                .containsExactly(6457827717110365317L, 3203168211198807973L, -8629252141511181193L);
    }

    @Test
    void restoringTheSavedStateContinuesTheSameSequence() {
        SplitMix64 first = new SplitMix64(7);
        first.nextLong();
        long saved = first.state();
        long expected = first.nextLong();

        SplitMix64 restored = new SplitMix64(0);
        restored.restore(saved);

        assertThat(restored.nextLong()).isEqualTo(expected);
    }

    @Test
    void signedDrawsStayWithinTheirBound() {
        SplitMix64 random = new SplitMix64(3);
        for (int i = 0; i < 10_000; i++) {
            assertThat(random.nextSigned(5)).isBetween(-5L, 5L);
            assertThat(random.nextDouble()).isGreaterThanOrEqualTo(0.0).isLessThan(1.0);
        }
    }
}

package dev.keel.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.time.ManualClock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Found by the recovery benchmark: 1,000 accounts rebalancing at once drew colliding transaction ids from a shared,
 * non-thread-safe random with 16 bits per second, and two accounts' events landed in one stream.
 */
class TransactionIdsTest {
    @Test
    void idsDrawnFromManyThreadsInTheSameSecondNeverRepeat() throws Exception {
        Supplier<String> ids = KeelRuntime.txIds(new ManualClock(Instant.parse("2026-11-22T12:00:00Z")), 0x3fa91c07);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> workers = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                workers.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        seen.add(ids.get());
                    }
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(seen).hasSize(16_000);
        assertThat(seen).allSatisfy(id -> assertThat(id).startsWith("rb-20261122-120000-3fa91c07-"));
    }

    @Test
    void twoProcessesInTheSameSecondDifferByTheirNonce() {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-22T12:00:00Z"));
        assertThat(KeelRuntime.txIds(clock, 1).get()).isNotEqualTo(KeelRuntime.txIds(clock, 2).get());
    }
}

package dev.keel.app.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * The heap's high-water mark over a run: the JVM's per-pool peaks, reset at the start and summed at the end (the
 * pools peak at different moments, so the sum is an upper bound). It counts garbage not yet collected too.
 */
final class HeapPeak {
    private HeapPeak() {
    }

    /** Collects, then resets every heap pool's peak, so the next {@link #bytes()} covers only what follows. */
    static void reset() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    static long bytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}

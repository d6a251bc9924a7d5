package dev.keel.app.bench;

/**
 * What one run of many account rebalances measured.
 *
 * @param way        which rebalancer
 * @param accounts   accounts rebalanced
 * @param completed  of them, how many ended COMPLETED
 * @param orders     orders sent
 * @param wallNanos  from the first rebalance's start to the last one's end
 * @param p50Nanos   median order latency: intent to recorded outcome
 * @param p99Nanos   99th percentile order latency
 * @param peakHeap   bytes, see {@link HeapPeak}
 */
record RunResult(String way, int accounts, int completed, int orders, long wallNanos, long p50Nanos, long p99Nanos,
                 long peakHeap) {
    double accountsPerSecond() {
        return accounts / (wallNanos / 1e9);
    }

    double ordersPerSecond() {
        return orders / (wallNanos / 1e9);
    }
}

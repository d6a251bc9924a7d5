package dev.keel.app.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** Rebalances every account once on a fixed pool of threads and measures the run. */
final class RunHarness {
    private RunHarness() {
    }

    static RunResult run(String way, Rebalancer rebalancer, List<String> accountIds, int concurrency) {
        Latencies latencies = new Latencies();
        AtomicInteger orders = new AtomicInteger();
        AtomicInteger completed = new AtomicInteger();
        HeapPeak.reset();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>(accountIds.size());
            for (String id : accountIds) {
                done.add(pool.submit(() -> {
                    Rebalancer.AccountResult r = rebalancer.rebalance(id, latencies);
                    orders.addAndGet(r.orders());
                    if (r.completed()) {
                        completed.incrementAndGet();
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(way + ": a rebalance failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        long wall = System.nanoTime() - start;
        return new RunResult(way, accountIds.size(), completed.get(), orders.get(), wall, latencies.percentile(50),
                latencies.percentile(99), HeapPeak.bytes());
    }
}

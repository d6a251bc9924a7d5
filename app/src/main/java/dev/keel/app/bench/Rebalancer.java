package dev.keel.app.bench;

/** One way of rebalancing many accounts, set up fresh for each run; thread-safe across accounts. */
interface Rebalancer extends AutoCloseable {
    /** Rebalances one account, recording the latency of every order it sends. */
    AccountResult rebalance(String accountId, Latencies orderLatencies);

    @Override
    void close();

    /**
     * @param orders    orders sent
     * @param completed whether the rebalance ended COMPLETED (every order filled, on target)
     */
    record AccountResult(int orders, boolean completed) {
    }
}

package dev.keel.app.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keel.app.Output;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code keel bench rebalance}: N accounts rebalanced once each, by Keel (durable SQLite journal) and by the naive
 * executor of the rebalancer document (a JSON file per transaction, unsynced as written there, and synced), against
 * the in-memory paper exchange with zero latency. The ways alternate within each repetition, each on fresh files.
 *
 * <p>With {@code --broker alpaca-http}, Keel on the in-process broker is measured beside Keel through the Alpaca
 * adapter talking to the same exchange served in Alpaca's shape on loopback HTTP ({@code keel/alpaca-http}): what the
 * adapter and the server add per order. The naive ways speak only to the in-process exchange and are left out.
 */
@Command(name = "rebalance", description = "Rebalances per second end to end: Keel against the naive way.")
final class RebalanceBenchCommand implements Callable<Integer> {
    /** The default pool: enough accounts in flight for group commit to batch; on 2 cores 16 was slower, 64+ no faster. */
    static final int DEFAULT_CONCURRENCY = 32;

    @Option(names = "--accounts", split = ",", paramLabel = "N", defaultValue = "1000",
            description = "Accounts per run; a list runs each (default: ${DEFAULT-VALUE}).")
    List<Integer> accounts;

    @Option(names = "--concurrency", paramLabel = "THREADS", defaultValue = "" + DEFAULT_CONCURRENCY,
            description = "Accounts rebalanced at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--runs", defaultValue = "3", description = "Repetitions of each measurement (default: 3).")
    int runs;

    @Option(names = "--keel-only", description = "Skip the naive way.")
    boolean keelOnly;

    @Option(names = "--broker", paramLabel = "KIND", defaultValue = KeelRebalancer.PAPER,
            description = "paper (default): the in-process paper exchange; alpaca-http: also Keel through the Alpaca"
                    + " adapter against the same exchange served on loopback HTTP, beside Keel in process (the naive"
                    + " ways are skipped).")
    String broker;

    @Option(names = "--keep", description = "Keep each run's journal and exchange files under --dir, to inspect.")
    boolean keep;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "keel-data/bench",
            description = "Scratch folder, emptied first (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--json", description = "Print one JSON document on stdout instead of text.")
    boolean json;

    @Spec
    CommandSpec spec;

    /** Every run, and per account count the median and range of each way. */
    record Report(@JsonProperty("machine") Machine machine, @JsonProperty("concurrency") int concurrency,
                  @JsonProperty("runs") List<RunResult> runs, @JsonProperty("summary") List<Row> summary) {
    }

    /** One way at one account count over the repetitions. */
    record Row(@JsonProperty("way") String way, @JsonProperty("accounts") int accounts,
               @JsonProperty("accounts_per_second") Summary accountsPerSecond,
               @JsonProperty("orders_per_second") Summary ordersPerSecond,
               @JsonProperty("p50_order_ms") Summary p50Millis, @JsonProperty("p99_order_ms") Summary p99Millis,
               @JsonProperty("peak_heap_mb") Summary peakHeapMb, @JsonProperty("completed") int completed) {
    }

    @Override
    public Integer call() {
        Output output = Output.of(spec, json);
        if (concurrency < 1 || runs < 1 || accounts.stream().anyMatch(n -> n < 1)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--accounts, --concurrency and --runs must be at least 1");
        }
        if (!broker.equals(KeelRebalancer.PAPER) && !broker.equals(KeelRebalancer.ALPACA_HTTP)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--broker: expected paper or alpaca-http, but was '" + broker + "'");
        }
        List<String> ways = broker.equals(KeelRebalancer.ALPACA_HTTP) ? List.of(Way.KEEL, Way.KEEL_ALPACA_HTTP)
                : keelOnly ? List.of(Way.KEEL) : List.of(Way.KEEL, Way.NAIVE, Way.NAIVE_FSYNC);
        output.error("warming up (" + Math.min(200, maxAccounts()) + " accounts per way, not measured)...");
        for (String way : ways) {
            runOnce(way, Math.min(200, maxAccounts()), dir.resolve("warmup"));
        }
        List<RunResult> all = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        for (int n : accounts) {
            List<RunResult> atN = new ArrayList<>();
            for (int r = 1; r <= runs; r++) {
                for (String way : ways) {
                    output.error("accounts " + n + ", run " + r + " of " + runs + ": " + way);
                    atN.add(runOnce(way, n, dir.resolve(n + "-" + r + "-" + way)));
                }
            }
            all.addAll(atN);
            for (String way : ways) {
                rows.add(row(way, n, atN.stream().filter(x -> x.way().equals(way)).toList()));
            }
        }
        if (!keep) {
            Folders.delete(dir);
        }
        output.result(new Report(Machine.describe(), concurrency, all, rows), r -> print(output, r));
        return 0;
    }

    private int maxAccounts() {
        return accounts.stream().mapToInt(Integer::intValue).max().orElse(1);
    }

    private RunResult runOnce(String way, int n, Path folder) {
        List<String> ids = Portfolio.accountIds(n);
        Path fresh = Folders.fresh(folder);
        try (Rebalancer rebalancer = Way.open(way, fresh, ids, 42)) {
            return RunHarness.run(way, rebalancer, ids, concurrency);
        } finally {
            if (!keep) {
                Folders.delete(fresh);
            }
        }
    }

    private static Row row(String way, int n, List<RunResult> runs) {
        return new Row(way, n, Summary.of(runs, RunResult::accountsPerSecond),
                Summary.of(runs, RunResult::ordersPerSecond), Summary.of(runs, x -> x.p50Nanos() / 1e6),
                Summary.of(runs, x -> x.p99Nanos() / 1e6), Summary.of(runs, x -> x.peakHeap() / 1048576.0),
                runs.stream().mapToInt(RunResult::completed).min().orElse(0));
    }

    private void print(Output output, Report report) {
        output.line(report.machine().describeLine());
        output.line("concurrency " + report.concurrency() + " accounts at once; median (min-max) of " + runs
                + " runs; order latency from intent to recorded outcome");
        output.line("");
        output.line(String.format("%-12s %8s %24s %24s %20s %20s %20s %9s", "WAY", "ACCOUNTS", "ACCOUNTS/S",
                "ORDERS/S", "P50 ORDER MS", "P99 ORDER MS", "PEAK HEAP MB", "COMPLETED"));
        for (Row r : report.summary()) {
            output.line(String.format("%-12s %8d %24s %24s %20s %20s %20s %9d", r.way(), r.accounts(),
                    r.accountsPerSecond().format(0), r.ordersPerSecond().format(0), r.p50Millis().format(3),
                    r.p99Millis().format(3), r.peakHeapMb().format(0), r.completed()));
        }
        for (Row keel : report.summary()) {
            if (!keel.way().equals(Way.KEEL)) {
                continue;
            }
            for (Row other : report.summary()) {
                if (other.accounts() == keel.accounts() && other.way().equals(Way.KEEL_ALPACA_HTTP)) {
                    output.line(String.format("accounts %d: over loopback HTTP the Alpaca adapter and the server add"
                                    + " %.3f ms to the p50 order (%.3f ms at p99)", keel.accounts(),
                            other.p50Millis().median() - keel.p50Millis().median(),
                            other.p99Millis().median() - keel.p99Millis().median()));
                } else if (other.accounts() == keel.accounts() && !other.way().equals(Way.KEEL)) {
                    output.line(String.format("accounts %d: Keel does %.2fx the accounts/s of %s",
                            keel.accounts(), keel.accountsPerSecond().median() / other.accountsPerSecond().median(),
                            other.way()));
                }
            }
        }
    }

    /** The ways compared. */
    static final class Way {
        static final String KEEL = "keel";
        static final String NAIVE = "naive";
        static final String NAIVE_FSYNC = "naive+fsync";
        static final String KEEL_ALPACA_HTTP = "keel/alpaca-http";

        private Way() {
        }

        static Rebalancer open(String way, Path dir, List<String> ids, long seed) {
            return switch (way) {
                case KEEL -> new KeelRebalancer(dir, ids, seed);
                case KEEL_ALPACA_HTTP -> new KeelRebalancer(dir, ids, seed, KeelRebalancer.ALPACA_HTTP);
                case NAIVE -> new NaiveRebalancer(dir, ids, seed, false);
                case NAIVE_FSYNC -> new NaiveRebalancer(dir, ids, seed, true);
                default -> throw new IllegalArgumentException("no way " + way);
            };
        }
    }
}

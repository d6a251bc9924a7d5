package dev.keel.app.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keel.app.Output;
import dev.keel.core.engine.AccountLeases;
import dev.keel.core.time.Sleeper;
import dev.keel.store.JdbcJournal;
import dev.keel.store.Journals;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code keel bench workers}: for each worker count W, a fresh {@link ScaleOutRig} (one {@code keel paper serve},
 * a new journal, an event source, W {@code keel worker} JVMs), N rebalance events pushed at once once the workers
 * are ready, and the journal read when every event's transaction has ended: events per second (first push to the last
 * transaction's end), each event's latency (its {@code created_at}, the push, to its transaction's end), the
 * journal's records, bytes and database transactions per event, the CPU seconds of the workers and of the broker,
 * and the cost of one account lease measured on the same journal.
 */
@Command(name = "workers", description = "Events/s and event latency of W 'keel worker' processes on one journal and"
        + " one event source (PostgreSQL + Redis, or SQLite + the embedded inbox), and the account lease's cost.")
final class WorkerBenchCommand implements Callable<Integer> {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
    /** Leases taken and released for the lease-cost figure. */
    static final int LEASE_SAMPLES = 200;

    @Option(names = "--workers", split = ",", paramLabel = "W", defaultValue = "1,2,3",
            description = "Worker processes; a list runs each (default: ${DEFAULT-VALUE}).")
    List<Integer> workers;

    @Option(names = "--events", paramLabel = "N", defaultValue = "300",
            description = "Rebalance events per run (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--accounts", paramLabel = "A", defaultValue = "100",
            description = "Accounts the events are spread over, each with its own key pair (default: "
                    + "${DEFAULT-VALUE}).")
    int accounts;

    @Option(names = "--source", paramLabel = "redis|inbox",
            description = "redis: a PostgreSQL journal and a Redis stream; inbox: a SQLite journal and its embedded"
                    + " inbox (default: redis when both servers answer on 127.0.0.1, else inbox).")
    String source;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT30M",
            description = "Longest wait for one run's events (ISO-8601, default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "keel-data/bench-workers",
            description = "Scratch folder, emptied first and removed after (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--json", description = "Print one JSON document on stdout instead of text.")
    boolean json;

    @Spec
    CommandSpec spec;

    /** One run: W workers, N events. */
    record Row(@JsonProperty("workers") int workers, @JsonProperty("events") int events,
               @JsonProperty("ended") long ended, @JsonProperty("statuses") Map<String, Long> statuses,
               @JsonProperty("seconds") double seconds, @JsonProperty("events_per_second") double eventsPerSecond,
               @JsonProperty("latency_p50_ms") double p50, @JsonProperty("latency_p99_ms") double p99,
               @JsonProperty("latency_max_ms") double max,
               @JsonProperty("records_per_event") double recordsPerEvent,
               @JsonProperty("journal_bytes_per_event") double bytesPerEvent,
               @JsonProperty("db_transactions_per_event") Double dbTransactionsPerEvent,
               @JsonProperty("worker_cpu_seconds") double workerCpu,
               @JsonProperty("broker_cpu_seconds") double brokerCpu,
               @JsonProperty("lease_p50_ms") double leaseP50, @JsonProperty("lease_p99_ms") double leaseP99) {
    }

    /** The whole result. */
    record Report(@JsonProperty("machine") Machine machine, @JsonProperty("source") String source,
                  @JsonProperty("journal") String journal, @JsonProperty("event_source") String eventSource,
                  @JsonProperty("accounts") int accounts, @JsonProperty("rows") List<Row> rows) {
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Output output = Output.of(spec, json);
        if (events < 1 || accounts < 1 || accounts > 999 || workers.isEmpty()
                || workers.stream().anyMatch(w -> w < 1)) {
            throw new ParameterException(spec.commandLine(), "--events and --workers must be at least 1, --accounts "
                    + "between 1 and 999");
        }
        ScaleOutRig.Source chosen = source(output);
        List<Row> rows = new ArrayList<>();
        for (int w : workers) {
            Path folder = Folders.fresh(dir.resolve("w" + w));
            rows.add(run(output, folder, w, chosen));
            Folders.delete(folder);
        }
        Folders.delete(dir);
        boolean redis = chosen == ScaleOutRig.Source.REDIS;
        output.result(new Report(Machine.describe(), chosen.name().toLowerCase(Locale.ROOT),
                redis ? "postgresql" : "sqlite", redis ? "redis" : "embedded inbox", accounts, rows),
                r -> print(output, r));
        return rows.stream().allMatch(r -> r.ended() == events) ? 0 : 1;
    }

    private ScaleOutRig.Source source(Output output) {
        List<String> missing = ScaleOutRig.missingServices();
        if (source == null) {
            if (missing.isEmpty()) {
                return ScaleOutRig.Source.REDIS;
            }
            output.error("Not answering: " + String.join(", ", missing) + "; running on SQLite and the embedded inbox"
                    + " instead (--source inbox).");
            return ScaleOutRig.Source.INBOX;
        }
        switch (source) {
            case "inbox":
                return ScaleOutRig.Source.INBOX;
            case "redis":
                if (!missing.isEmpty()) {
                    throw new ParameterException(spec.commandLine(), "--source redis needs PostgreSQL on 127.0.0.1:5432"
                            + " and Redis on 127.0.0.1:6379; not answering: " + String.join(", ", missing)
                            + ". Start them, or use --source inbox");
                }
                return ScaleOutRig.Source.REDIS;
            default:
                throw new ParameterException(spec.commandLine(), "--source: '" + source
                        + "' is not a source; expected redis or inbox");
        }
    }

    private Row run(Output output, Path folder, int w, ScaleOutRig.Source chosen)
            throws IOException, InterruptedException {
        output.error(w + " worker(s): starting the paper server and the workers...");
        try (ScaleOutRig rig = ScaleOutRig.open(folder, accounts, chosen)) {
            List<Process> procs = new ArrayList<>();
            for (int i = 1; i <= w; i++) {
                procs.add(rig.worker("w" + i));
            }
            long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
            for (int i = 1; i <= w; i++) {
                while (!rig.ready("w" + i)) {
                    if (!procs.get(i - 1).isAlive() || System.nanoTime() > deadline) {
                        throw new IllegalStateException("worker w" + i + " did not start; see "
                                + folder.resolve("stderr-w" + i + ".txt"));
                    }
                    TimeUnit.MILLISECONDS.sleep(100);
                }
            }
            Long commitsBefore = commits(rig);
            Instant first = Instant.now();
            rig.push(ScaleOutRig.rebalances(events, accounts, 42, first));
            output.error(w + " worker(s): " + events + " events pushed in "
                    + Duration.between(first, Instant.now()).toMillis() + " ms; waiting for their transactions...");
            long end = System.nanoTime() + timeout.toNanos();
            long ended = 0;
            long shown = -1;
            while ((ended = rig.endedTransactions()) < events && System.nanoTime() < end) {
                if (ended / Math.max(1, events / 10) != shown) {
                    shown = ended / Math.max(1, events / 10);
                    output.error(w + " worker(s): " + ended + " of " + events + " transactions ended");
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
            double workerCpu = procs.stream().mapToDouble(ScaleOutRig::cpuSeconds).sum();
            double brokerCpu = ScaleOutRig.cpuSeconds(rig.server());
            for (Process p : procs) {
                p.destroy(); // SIGTERM: they are idle, so each exits at once
            }
            for (Process p : procs) {
                p.waitFor(60, TimeUnit.SECONDS);
            }
            Long commitsAfter = commits(rig);
            JournalFigures figures = JournalFigures.read(rig, first);
            Latencies lease = leaseCost(rig);
            Latencies latency = figures.latencies();
            double seconds = Duration.between(first, figures.lastEnd()).toNanos() / 1e9;
            output.error(w + " worker(s): " + figures.ended() + " transactions in " + String.format("%.1f", seconds)
                    + " s");
            return new Row(w, events, figures.ended(), figures.statuses(), seconds,
                    figures.ended() / Math.max(seconds, 1e-9), ms(latency.percentile(50)),
                    ms(latency.percentile(99)), ms(latency.percentile(100)),
                    (double) figures.records() / figures.ended(), (double) figures.bytes() / figures.ended(),
                    commitsBefore == null || commitsAfter == null ? null
                            : (double) (commitsAfter - commitsBefore) / figures.ended(),
                    workerCpu, brokerCpu, ms(lease.percentile(50)), ms(lease.percentile(99)));
        }
    }

    /** Takes and releases {@link #LEASE_SAMPLES} account leases on the run's journal, as a worker does per event. */
    private static Latencies leaseCost(ScaleOutRig rig) {
        Latencies took = new Latencies();
        try (JdbcJournal journal = Journals.open(rig.journalUrl(), Clock.systemUTC())) {
            AccountLeases leases = journal.leases(Clock.systemUTC(), Sleeper.system());
            for (int i = 0; i < LEASE_SAMPLES; i++) {
                long start = System.nanoTime();
                leases.acquire(ScaleOutRig.account(i % rig.accounts()), Duration.ofSeconds(10)).close();
                took.add(System.nanoTime() - start);
            }
        }
        return took;
    }

    /** PostgreSQL's committed transactions in the run's database so far; null on SQLite. */
    private static Long commits(ScaleOutRig rig) {
        if (rig.database() == null) {
            return null;
        }
        try (Connection c = rig.journalConnection()) {
            c.createStatement().execute("SELECT pg_stat_clear_snapshot()");
            try (ResultSet rs = c.createStatement().executeQuery(
                    "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")) {
                return rs.next() ? rs.getLong(1) : null;
            }
        } catch (SQLException e) {
            return null;
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static void print(Output output, Report report) {
        output.line(report.machine().describeLine());
        output.line("journal " + report.journal() + ", events from " + report.eventSource() + ", " + report.accounts()
                + " accounts, each its own key pair at one paper server; all events pushed at once when the workers"
                + " are ready");
        output.line("latency = event created_at to its transaction's end (queueing included); lease = take + release"
                + " of one account lease on the same journal");
        output.line("");
        output.line(String.format("%7s %6s %8s %9s %9s %9s %8s %9s %8s %9s %9s %9s", "WORKERS", "EVENTS", "SECONDS",
                "EVENTS/S", "P50 MS", "P99 MS", "REC/EV", "BYTES/EV", "DBTX/EV", "WORK CPU", "BRKR CPU", "LEASE MS"));
        for (Row r : report.rows()) {
            output.line(String.format("%7d %6d %8.1f %9.2f %9.0f %9.0f %8.1f %9.0f %8s %9.1f %9.1f %9s",
                    r.workers(), r.ended(), r.seconds(), r.eventsPerSecond(), r.p50(), r.p99(), r.recordsPerEvent(),
                    r.bytesPerEvent(), r.dbTransactionsPerEvent() == null ? "-"
                            : String.format("%.1f", r.dbTransactionsPerEvent()), r.workerCpu(), r.brokerCpu(),
                    String.format("%.1f/%.1f", r.leaseP50(), r.leaseP99())));
        }
        output.line("");
        output.line("outcomes: " + report.rows().stream().map(r -> r.workers() + "w " + r.statuses())
                .collect(Collectors.joining(", ")) + "; LEASE MS = p50/p99; CPU in seconds over the whole run");
    }
}

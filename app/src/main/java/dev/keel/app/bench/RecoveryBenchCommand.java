package dev.keel.app.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.app.Output;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code keel bench recovery}: N transactions in flight in a real engine JVM ({@code keel bench in-flight}, every
 * account's rebalance hanging in a submit whose intent is journaled), SIGKILL, then a fresh {@code keel recover}
 * process on a copy of the killed state, timed from process start to exit, and its own report of how long
 * {@code Engine.recover()} took. The kill happens once per N; each repetition recovers its own copy of that state.
 */
@Command(name = "recovery", description = "Time 'keel recover' after a SIGKILL with N transactions in flight.")
final class RecoveryBenchCommand implements Callable<Integer> {
    private static final Duration CHILD_TIMEOUT = Duration.ofMinutes(20);

    @Option(names = "--transactions", split = ",", paramLabel = "N", defaultValue = "10,100,1000",
            description = "Transactions in flight at the kill; a list runs each (default: ${DEFAULT-VALUE}).")
    List<Integer> transactions;

    @Option(names = "--runs", defaultValue = "3", description = "Recoveries of each killed state (default: 3).")
    int runs;

    @Option(names = "--keep", description = "Keep the killed state and each recovered copy under --dir, to inspect.")
    boolean keep;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "keel-data/bench-recovery",
            description = "Scratch folder, emptied first (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--json", description = "Print one JSON document on stdout instead of text.")
    boolean json;

    @Spec
    CommandSpec spec;

    /** One recovery of one killed state. */
    record Recovery(@JsonProperty("in_flight") int inFlight, @JsonProperty("process_ms") double processMillis,
                    @JsonProperty("engine_recover_ms") double engineMillis,
                    @JsonProperty("recovered") int recovered, @JsonProperty("statuses") Map<String, Integer> statuses,
                    @JsonProperty("exit_code") int exitCode) {
    }

    /** Per N: how long reaching the in-flight state took, then the recoveries. */
    record Row(@JsonProperty("in_flight") int inFlight, @JsonProperty("setup_seconds") double setupSeconds,
               @JsonProperty("process_ms") Summary processMillis, @JsonProperty("engine_recover_ms") Summary engine,
               @JsonProperty("runs") List<Recovery> runs) {
    }

    /** The whole result. */
    record Report(@JsonProperty("machine") Machine machine, @JsonProperty("rows") List<Row> rows) {
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Output output = Output.of(spec, json);
        if (runs < 1 || transactions.stream().anyMatch(n -> n < 1)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--transactions and --runs must be at least 1");
        }
        List<Row> rows = new ArrayList<>();
        for (int n : transactions) {
            Path killed = Folders.fresh(dir.resolve(n + "-killed"));
            Files.writeString(killed.resolve("hanging.yaml"), RecoveryConfig.yaml(n, true));
            Files.writeString(killed.resolve("keel.yaml"), RecoveryConfig.yaml(n, false));
            output.error(n + " in flight: starting the engine to kill...");
            long setup = System.nanoTime();
            killInFlight(killed, n);
            double setupSeconds = (System.nanoTime() - setup) / 1e9;
            List<Recovery> recoveries = new ArrayList<>();
            for (int r = 1; r <= runs; r++) {
                Path copy = Folders.fresh(dir.resolve(n + "-recover-" + r));
                Folders.copyFiles(killed, copy);
                output.error(n + " in flight: recovery " + r + " of " + runs);
                recoveries.add(recover(copy, n));
                if (!keep) {
                    Folders.delete(copy);
                }
            }
            if (!keep) {
                Folders.delete(killed);
            }
            rows.add(new Row(n, setupSeconds, Summary.of(recoveries, Recovery::processMillis),
                    Summary.of(recoveries, Recovery::engineMillis), recoveries));
        }
        if (!keep) {
            Folders.delete(dir);
        }
        output.result(new Report(Machine.describe(), rows), r -> print(output, r));
        boolean ok = rows.stream().flatMap(r -> r.runs().stream())
                .allMatch(x -> x.exitCode() == 0 && x.recovered() == x.inFlight());
        return ok ? 0 : 1;
    }

    /** Starts the victim, waits until it says every transaction hangs, and kills it with SIGKILL. */
    private static void killInFlight(Path folder, int n) throws IOException, InterruptedException {
        Process victim = KeelProcess.start(folder, "bench", "in-flight", "--config", "hanging.yaml");
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(victim.getInputStream(),
                    StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> readLine(lines))
                    .get(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (!("in-flight " + n).equals(line)) {
                throw new IllegalStateException("the in-flight engine said '" + line + "' instead of 'in-flight " + n
                        + "'; see " + folder.resolve("stderr.txt"));
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the in-flight engine did not get " + n + " transactions in flight", e);
        } finally {
            victim.destroyForcibly(); // SIGKILL
        }
        if (!victim.waitFor(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the killed engine did not exit");
        }
    }

    /** One {@code keel recover --json} process on {@code folder}, timed from start to exit. */
    private static Recovery recover(Path folder, int n) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process process = KeelProcess.start(folder, "recover", "--config", "keel.yaml", "--json");
        byte[] stdout = process.getInputStream().readAllBytes();
        if (!process.waitFor(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("keel recover did not finish in " + CHILD_TIMEOUT);
        }
        double processMillis = (System.nanoTime() - start) / 1e6;
        JsonNode report = new ObjectMapper().readTree(stdout);
        if (report == null || !report.has("transactions")) {
            throw new IllegalStateException("keel recover printed no report (exit " + process.exitValue() + "); see "
                    + folder.resolve("stderr.txt"));
        }
        Map<String, Integer> statuses = new TreeMap<>();
        report.get("transactions").forEach(t -> statuses.merge(t.get("status").asText(), 1, Integer::sum));
        double engineMillis = Duration.parse(report.get("took").asText()).toNanos() / 1e6;
        return new Recovery(n, processMillis, engineMillis, report.get("transactions").size(), statuses,
                process.exitValue());
    }

    private static String readLine(BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void print(Output output, Report report) {
        output.line(report.machine().describeLine());
        output.line("median (min-max) of the recoveries of one killed state; process = JVM start to exit of "
                + "'keel recover'");
        output.line("");
        output.line(String.format("%-9s %9s %28s %28s %16s  %s", "IN FLIGHT", "SETUP S", "RECOVER PROCESS MS",
                "ENGINE.RECOVER() MS", "MS/TRANSACTION", "OUTCOMES"));
        for (Row r : report.rows()) {
            output.line(String.format("%-9d %9.1f %28s %28s %16.3f  %s", r.inFlight(), r.setupSeconds(),
                    r.processMillis().format(0), r.engine().format(0), r.engine().median() / r.inFlight(),
                    r.runs().get(0).statuses()));
        }
    }
}

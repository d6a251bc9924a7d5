package dev.keel.app.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code keel bench}: end-to-end benchmarks of Keel against the paper exchange, beside the naive way. */
@Command(name = "bench",
        description = "End-to-end benchmarks: rebalances per second against the naive way, crash recovery, the API and"
                + " scaled-out workers.",
        subcommands = {RebalanceBenchCommand.class, RecoveryBenchCommand.class, InFlightCommand.class,
                ApiBenchCommand.class, WorkerBenchCommand.class})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }
}

package dev.keel.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code keel demo}: the All-Weather rebalance on the paper exchange with the built-in fault plan. */
@Command(name = "demo",
        description = "Rebalance the All-Weather demo portfolio on the paper exchange, faults included.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "keel-data",
            description = "Where the demo keeps its journal, exchange state and notifications (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Mixin
    Options.Json json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        // The configuration is KeelConfig.demo(dataDir): the built-in demo.yaml with its files in dataDir.
        return Output.of(spec, json.enabled()).notWired();
    }
}

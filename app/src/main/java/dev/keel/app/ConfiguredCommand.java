package dev.keel.app;

import dev.keel.app.config.ConfigLoader;
import dev.keel.app.config.KeelConfig;
import dev.keel.app.runtime.KeelRuntime;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that reads {@code --config FILE} and prints through {@link Output}, text or {@code --json}. Subclasses
 * declare their own options and implement {@link #call()}, returning an {@link ExitCodes} value.
 */
abstract class ConfiguredCommand implements Callable<Integer> {
    @Mixin
    Options.Config config;

    @Mixin
    Options.Json json;

    @Spec
    CommandSpec spec;

    /** The configuration named by {@code --config}, validated. */
    KeelConfig loadConfig() {
        return ConfigLoader.load(config.file());
    }

    /**
     * Keel assembled from {@code --config}: journal, broker, outbox, engine. Close it. Console notifications are held
     * until it closes (after the command printed its report), unless {@link #notifyAtOnce()}.
     */
    KeelRuntime openRuntime() {
        return openRuntime(KeelRuntime::open);
    }

    /**
     * {@link #openRuntime()} for a command that reads: the journal is checked as a reader's open checks it, and as a
     * writer's only before a first write ({@link KeelRuntime#openToRead}).
     */
    KeelRuntime openRuntimeToRead() {
        return openRuntime(KeelRuntime::openToRead);
    }

    private KeelRuntime openRuntime(BiFunction<KeelConfig, PrintStream, KeelRuntime> opening) {
        PrintStream console = json.enabled() ? System.err : System.out;
        if (notifyAtOnce()) {
            return opening.apply(loadConfig(), console);
        }
        HeldConsole held = new HeldConsole(console);
        return opening.apply(loadConfig(), held.stream()).afterClose(held::release);
    }

    /** Whether console notifications print as they come (a long-running command) rather than after the report. */
    boolean notifyAtOnce() {
        return false;
    }

    /** Where this invocation prints, in the mode {@code --json} chose. */
    Output output() {
        return Output.of(spec, json.enabled());
    }
}

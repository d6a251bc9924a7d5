package dev.keel.app;

import dev.keel.app.config.ConfigLoader;
import dev.keel.app.config.KeelConfig;
import dev.keel.app.runtime.KeelRuntime;
import java.util.concurrent.Callable;
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

    /** Keel assembled from {@code --config}: journal, broker, outbox, engine. Close it. */
    KeelRuntime openRuntime() {
        return KeelRuntime.open(loadConfig(), json.enabled() ? System.err : System.out);
    }

    /** Where this invocation prints, in the mode {@code --json} chose. */
    Output output() {
        return Output.of(spec, json.enabled());
    }
}
